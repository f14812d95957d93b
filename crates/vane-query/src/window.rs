//! `"a b c"~n`: all tokens of the phrase at distinct positions within one
//! window of (phrase length + n) token positions, in any order (§6, §12).

use vane_text::NormalizedText;

use crate::term::TermPattern;

/// The longest phrase a `~n` window can hold; checked by the parser.
pub(crate) const MAX_WINDOW_TOKENS: usize = 64;

/// Calls `emit(start, end)` for each position `start` that begins a
/// complete window; `end` is the smallest end of one.
pub(crate) fn find_windows(pattern: &TermPattern, slop: u32, text: &NormalizedText, scratch: &mut String, mut emit: impl FnMut(u32, u32)) {
    let length = pattern.len();
    if length == 0 || length > MAX_WINDOW_TOKENS || text.tokens.len() < length {
        return;
    }
    let width = length + slop as usize;
    let masks: Vec<u64> = text
        .tokens
        .iter()
        .map(|token| {
            pattern
                .tokens
                .iter()
                .enumerate()
                .filter(|(_, token_pattern)| token_pattern.matches(text, token, scratch))
                .fold(0u64, |mask, (index, _)| mask | 1 << index)
        })
        .collect();
    let mut owner = Vec::with_capacity(width);
    for start in 0..masks.len() {
        if masks[start] == 0 {
            continue;
        }
        // The occurrence is the shortest complete window from `start`.
        let limit = masks.len().min(start + width);
        if !assign(&masks[start..limit], length, &mut owner) {
            continue;
        }
        let end = (start + length..=limit).find(|&end| assign(&masks[start..end], length, &mut owner)).unwrap_or(limit);
        emit(start as u32, end as u32);
    }
}

/// Whether every pattern token can take a distinct position of the
/// window (Kuhn's augmenting paths).
fn assign(window: &[u64], length: usize, owner: &mut Vec<Option<usize>>) -> bool {
    if window.len() < length {
        return false;
    }
    owner.clear();
    owner.resize(window.len(), None);
    let mut visited = vec![false; window.len()];
    for token in 0..length {
        visited.iter_mut().for_each(|seen| *seen = false);
        if !augment(token, window, owner, &mut visited) {
            return false;
        }
    }
    true
}

fn augment(token: usize, window: &[u64], owner: &mut [Option<usize>], visited: &mut [bool]) -> bool {
    for position in 0..window.len() {
        if window[position] & (1 << token) == 0 || visited[position] {
            continue;
        }
        visited[position] = true;
        if owner[position].is_none_or(|other| augment(other, window, owner, visited)) {
            owner[position] = Some(token);
            return true;
        }
    }
    false
}
