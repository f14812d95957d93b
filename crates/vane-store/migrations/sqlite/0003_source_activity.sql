-- Documents by arrival, for source health (documents received per source in
-- the last day and week). Arrival times only grow, so the index is appended
-- at its right edge.
CREATE INDEX documents_by_received ON documents (received_at);
