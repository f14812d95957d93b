// Vane dashboard: one page, hash routes, everything read from /api/v1/.
// Charts read the rollups (series, breakdown); lists read pages of mentions.
'use strict';

const I18N = {
  zh: {
    overview: '总览', topic: '专题', search: '检索', editor: '专题编辑', warnings: '预警', sources: '信源',
    competitors: '竞品对比', story: '传播路径', volume: '声量', favourability: '好感度', net: '净情感',
    sov: '声量占比', mentions: '提及', positive: '正面', neutral: '中性', negative: '负面',
    channels: '渠道分布', sites: '热门站点', authors: '活跃作者', keywords: '关键词', hot: '热点事件',
    stream: '提及流', copies: '篇转载', all: '全部', channel: '渠道', sentiment: '情感', site: '站点', language: '语言',
    last24h: '近24小时', last72h: '近72小时', last7d: '近7天', live: '实时', first: '首发', timeline: '时间线',
    graph: '传播图', query: '查询式', validQuery: '查询式有效', preview: '预览', save: '保存', name: '名称', id: '标识',
    brand: '品牌', competitor: '竞品', matched: '匹配', scanned: '扫描最近文档', results: '结果', noResults: '无结果',
    level: '级别', score: '分数', time: '时间', evidence: '依据', acknowledge: '确认', acknowledged: '已确认',
    mute: '静默1小时', muted: '已静默', lastFetch: '最近抓取', perDay: '近24小时 / 日均', pushed: '推送/导入', disabled: '已停用', expected: '预期', errors: '错误',
    deadLetters: '死信', noSources: '尚未配置信源：可用 `vane sources add` 或 API 添加。',
    velocity: '增速', negShare: '负面占比', authority: '权威', sensitivity: '敏感', spread: '扩散',
    baseline: '基线', topSites: '主要站点', rules: '规则', edit: '编辑', newTopic: '新建专题', saved: '已保存',
    documents: '篇', searchHint: '例如：(朗铭 OR lumio) AND (发烫 OR overheat*)', state: '状态',
    loading: '加载中…', took: '耗时', noWarnings: '暂无预警', type: '类型', url: '地址',
  },
  en: {
    overview: 'Overview', topic: 'Topic', search: 'Search', editor: 'Topic editor', warnings: 'Warnings', sources: 'Sources',
    competitors: 'Competitors', story: 'Propagation', volume: 'Volume', favourability: 'Favourability', net: 'Net sentiment',
    sov: 'Share of voice', mentions: 'Mentions', positive: 'Positive', neutral: 'Neutral', negative: 'Negative',
    channels: 'Channel mix', sites: 'Top sites', authors: 'Top authors', keywords: 'Keywords', hot: 'Hot events',
    stream: 'Mention stream', copies: 'copies', all: 'All', channel: 'Channel', sentiment: 'Sentiment', site: 'Site', language: 'Language',
    last24h: 'Last 24 h', last72h: 'Last 72 h', last7d: 'Last 7 days', live: 'live', first: 'First publisher', timeline: 'Timeline',
    graph: 'Propagation graph', query: 'Query', validQuery: 'Valid query', preview: 'Preview', save: 'Save', name: 'Name', id: 'Id',
    brand: 'Brand', competitor: 'Competitor', matched: 'matched', scanned: 'of the most recent documents', results: 'Results', noResults: 'No results',
    level: 'Level', score: 'Score', time: 'Time', evidence: 'Evidence', acknowledge: 'Acknowledge', acknowledged: 'Acknowledged',
    mute: 'Mute 1 h', muted: 'Muted', lastFetch: 'Last fetch', perDay: 'Last 24 h / daily average', pushed: 'push / import', disabled: 'disabled', expected: 'expected', errors: 'Errors',
    deadLetters: 'Dead letters', noSources: 'No sources configured yet: add one with `vane sources add` or the API.',
    velocity: 'velocity', negShare: 'negative share', authority: 'authority', sensitivity: 'sensitivity', spread: 'spread',
    baseline: 'baseline', topSites: 'top sites', rules: 'rules', edit: 'Edit', newTopic: 'New topic', saved: 'Saved',
    documents: 'documents', searchHint: 'e.g. (朗铭 OR lumio) AND (发烫 OR overheat*)', state: 'State',
    loading: 'Loading…', took: 'took', noWarnings: 'No warnings', type: 'Type', url: 'URL',
  },
};
const LEVELS = { none: ['无', 'none'], blue: ['蓝', 'blue'], yellow: ['黄', 'yellow'], orange: ['橙', 'orange'], red: ['红', 'red'] };
const COLORS = { positive: '#2e9e6b', neutral: '#8a94a6', negative: '#d64545' };

let lang = localStorage.getItem('vane.lang') || 'zh';
const t = (key) => I18N[lang][key] || key;
const levelName = (level) => (LEVELS[level] || [level, level])[lang === 'zh' ? 0 : 1];
const charts = [];
let live = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// replaceChildren, with arrays flattened and empty parts left out.
function fill(node, ...children) {
  node.replaceChildren(...children.flat(2).filter((child) => child !== null && child !== undefined && child !== false));
}

async function api(path, options) {
  const response = await fetch('/api/v1/' + path, options);
  if (response.status === 204) return null;
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error((body.error && body.error.message) || response.statusText);
    error.body = body.error || {};
    throw error;
  }
  return body;
}

function chart(node, option) {
  const instance = echarts.init(node, null, { renderer: 'canvas' });
  instance.setOption(Object.assign({ animation: false }, option));
  charts.push(instance);
  return instance;
}
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

const fmt = (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : Number(n).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB'));
const pct = (x) => (x === null || Number.isNaN(x) ? '–' : (x * 100).toFixed(0) + '%');
const time = (iso) => (iso ? new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) : '–');
const isoAgo = (hours) => new Date(Date.now() - hours * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
const hashArg = () => decodeURIComponent(location.hash.split('/').slice(2).join('/'));

// Hourly points from `hours` ago to now, empty hours as zeros: the series
// holds only the buckets that had mentions, and a chart drawn from those
// alone would close the gaps and bend the time axis.
function hourly(points, hours) {
  const byStart = Object.fromEntries(points.map((p) => [Date.parse(p.bucket_start), p]));
  const hour = 3600e3;
  const last = Math.floor(Date.now() / hour) * hour;
  const filled = [];
  for (let at = Math.floor((Date.now() - hours * hour) / hour) * hour; at <= last; at += hour) {
    filled.push(byStart[at] || { bucket_start: new Date(at).toISOString().replace(/\.\d+Z$/, 'Z'), mentions: 0, stories: 0,
      positive: 0, neutral: 0, negative: 0, engagement: 0, views: 0, reach: 0, authority: 0 });
  }
  return filled;
}

function totals(points) {
  const sum = { mentions: 0, positive: 0, neutral: 0, negative: 0, engagement: 0, reach: 0 };
  for (const p of points) for (const key of Object.keys(sum)) sum[key] += p[key];
  sum.favourability = sum.positive + sum.negative ? sum.positive / (sum.positive + sum.negative) : null;
  sum.net = sum.mentions ? (sum.positive - sum.negative) / sum.mentions : null;
  return sum;
}

// The text of a document with its hit spans marked (character offsets per field).
function highlighted(text, hits, field) {
  const chars = Array.from(text || '');
  const spans = (hits || []).filter((h) => h.field === field).sort((a, b) => a.start - b.start);
  const out = [];
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue;
    out.push(chars.slice(at, span.start).join(''));
    out.push(el('mark', {}, chars.slice(span.start, span.end).join('')));
    at = span.end;
  }
  out.push(chars.slice(at).join(''));
  return out;
}

function badge(sentiment) {
  return el('span', { class: 'badge ' + sentiment }, t(sentiment));
}

function mentionNode(item, copies) {
  const d = item.document;
  return el('div', { class: 'mention', 'data-story': d.story_id },
    el('div', { class: 'meta' }, badge(item.sentiment || d.sentiment), el('span', {}, d.site), el('span', {}, d.author),
      el('span', {}, d.channel), el('span', {}, time(d.published_at)),
      copies > 0 ? el('a', { class: 'copies', href: '#/story/' + encodeURIComponent(d.story_id) }, '+' + copies + ' ' + t('copies')) : null),
    d.title ? el('div', { class: 'text' }, el('b', {}, highlighted(d.title, item.hits, 'title'))) : null,
    el('div', { class: 'text' }, highlighted(d.body, item.hits, 'body')));
}

// ---------- pages ----------

async function overview(page) {
  const [topics, current] = await Promise.all([api('topics'), api('warnings/current')]);
  const levels = Object.fromEntries(current.map((w) => [w.topic, w.level]));
  const from = isoAgo(72);
  const series = (await Promise.all(topics.map((topic) => api(`topics/${encodeURIComponent(topic.id)}/series?bucket=hour&from=${from}`))))
    .map((s) => ({ ...s, points: hourly(s.points, 72) }));
  const sums = series.map((s) => totals(s.points));
  const brandTotal = brandTopics(topics, sums).reduce((acc, i) => acc + sums[i].mentions, 0);
  page.append(el('h1', {}, t('overview')));
  const grid = el('div', { class: 'grid' });
  page.append(grid);
  topics.forEach((topic, i) => {
    const sum = sums[i];
    const spark = el('div', { class: 'spark chart-spark' });
    grid.append(el('div', { class: 'card', 'data-topic': topic.id },
      el('div', { class: 'row' }, el('a', { class: 'title', href: '#/topic/' + encodeURIComponent(topic.id) }, topic.name),
        topic.competitor ? el('span', { class: 'muted' }, t('competitor')) : null,
        el('span', { class: 'level ' + (levels[topic.id] || 'none') }, levelName(levels[topic.id] || 'none'))),
      el('div', { class: 'kpis' },
        el('div', { class: 'kpi' }, el('b', {}, fmt(sum.mentions)), el('small', {}, t('volume'))),
        el('div', { class: 'kpi' }, el('b', {}, pct(sum.favourability)), el('small', {}, t('favourability'))),
        el('div', { class: 'kpi' }, el('b', {}, sum.net === null ? '–' : (sum.net * 100).toFixed(0)), el('small', {}, t('net'))),
        el('div', { class: 'kpi' }, el('b', {}, brandTotal ? pct(sum.mentions / brandTotal) : '–'), el('small', {}, t('sov')))),
      spark));
    chart(spark, {
      grid: { left: 2, right: 2, top: 4, bottom: 2 }, xAxis: { type: 'category', show: false, data: series[i].points.map((p) => p.bucket_start) },
      yAxis: { type: 'value', show: false }, tooltip: { trigger: 'axis' },
      series: [{ type: 'line', data: series[i].points.map((p) => p.mentions), showSymbol: false, areaStyle: { opacity: 0.2 }, smooth: true },
        { type: 'line', data: series[i].points.map((p) => p.negative), showSymbol: false, lineStyle: { color: COLORS.negative }, smooth: true }],
    });
  });
}

// One topic per brand for share of voice: the brand's topic with the most mentions.
function brandTopics(topics, sums) {
  const best = {};
  topics.forEach((topic, i) => {
    const brand = topic.brand || topic.id;
    if (best[brand] === undefined || sums[i].mentions > sums[best[brand]].mentions) best[brand] = i;
  });
  return Object.values(best);
}

function sentimentSeries(points) {
  return ['positive', 'neutral', 'negative'].map((key) => ({
    name: t(key), type: 'bar', stack: 'volume', data: points.map((p) => p[key]), itemStyle: { color: COLORS[key] },
  }));
}

async function topicPage(page) {
  const id = hashArg();
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const hours = Number(params.get('hours') || 72);
  const from = isoAgo(hours);
  const [topic, series, breakdown, stories] = await Promise.all([
    api('topics/' + encodeURIComponent(id)),
    api(`topics/${encodeURIComponent(id)}/series?bucket=hour&from=${from}`),
    api(`topics/${encodeURIComponent(id)}/breakdown?from=${from}`),
    api(`stories?topic=${encodeURIComponent(id)}&from=${from}&limit=8`),
  ]);
  series.points = hourly(series.points, hours);
  page.append(el('h1', {}, topic.name, ' ', el('a', { class: 'plain', href: '#/editor/' + encodeURIComponent(id) }, t('edit'))));
  const volume = el('div', { class: 'chart', id: 'volume-chart' });
  const mix = el('div', { class: 'chart', id: 'channel-chart' });
  const keywords = el('div', { class: 'chart', id: 'keyword-chart' });
  page.append(el('div', { class: 'grid two' },
    el('div', { class: 'card' }, el('h2', {}, t('volume')), volume),
    el('div', { class: 'card' }, el('h2', {}, t('channels')), mix)));
  chart(volume, {
    tooltip: { trigger: 'axis' }, legend: {}, grid: { left: 40, right: 10, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: series.points.map((p) => time(p.bucket_start)) }, yAxis: { type: 'value' },
    series: sentimentSeries(series.points),
  });
  chart(mix, {
    tooltip: { trigger: 'item' },
    series: [{ type: 'pie', radius: ['35%', '70%'], data: breakdown.channels.map((c) => ({ name: c.name || '–', value: c.mentions })) }],
  });
  const shareTable = (rows) => el('table', {}, el('tr', {}, el('th', {}, t('name')), el('th', { class: 'num' }, t('mentions')), el('th', { class: 'num' }, t('negative'))),
    rows.map((r) => el('tr', {}, el('td', {}, r.name), el('td', { class: 'num' }, fmt(r.mentions)), el('td', { class: 'num' }, fmt(r.negative)))));
  page.append(el('div', { class: 'grid' },
    el('div', { class: 'card' }, el('h2', {}, t('sites')), shareTable(breakdown.sites)),
    el('div', { class: 'card' }, el('h2', {}, t('authors')), shareTable(breakdown.authors)),
    el('div', { class: 'card' }, el('h2', {}, t('keywords')), keywords),
    el('div', { class: 'card' }, el('h2', {}, t('hot')), el('table', {}, stories.map((s) => el('tr', {},
      el('td', {}, el('a', { href: '#/story/' + encodeURIComponent(s.story_id) }, s.first.title || s.first.body.slice(0, 40))),
      el('td', { class: 'num' }, fmt(s.documents) + ' ' + t('documents'))))))));
  const top = breakdown.keywords.slice(0, 15).reverse();
  chart(keywords, {
    grid: { left: 90, right: 10, top: 5, bottom: 20 }, xAxis: { type: 'value' },
    yAxis: { type: 'category', data: top.map((k) => k.term) }, series: [{ type: 'bar', data: top.map((k) => Number(k.weight.toFixed(3))) }],
  });
  await mentionStream(page, id, hours);
}

async function mentionStream(page, id, hours) {
  const filters = { channel: '', sentiment: '', site: '', lang: '' };
  const list = el('div', { id: 'mentions' });
  const select = (name, values) => el('select', { name, onchange: (e) => { filters[name] = e.target.value; load(); } },
    el('option', { value: '' }, t(name) + ': ' + t('all')), values.map((v) => el('option', { value: v }, v in I18N.en ? t(v) : v)));
  const range = el('select', { name: 'hours', onchange: (e) => { location.hash = `#/topic/${encodeURIComponent(id)}?hours=${e.target.value}`; } },
    [[24, 'last24h'], [72, 'last72h'], [168, 'last7d']].map(([h, key]) => el('option', { value: h, selected: h === hours }, t(key))));
  const siteInput = el('input', { name: 'site', placeholder: t('site'), onchange: (e) => { filters.site = e.target.value.trim(); load(); } });
  page.append(el('div', { class: 'card' }, el('h2', {}, t('stream'), ' ', el('span', { class: 'muted', id: 'live' }, '')),
    el('div', { class: 'filters' }, range, select('channel', ['news', 'weibo', 'wechat', 'forum', 'video', 'blog', 'review', 'other']),
      select('sentiment', ['positive', 'neutral', 'negative']), siteInput, select('lang', ['zh', 'en'])), list));
  async function load() {
    const query = new URLSearchParams({ topic: id, from: isoAgo(hours), limit: '60' });
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
    // copies counted over the whole story, not only this page of mentions
    const [mentions, stories] = await Promise.all([api('mentions?' + query),
      api(`stories?topic=${encodeURIComponent(id)}&from=${isoAgo(hours)}&limit=200`)]);
    const storySizes = Object.fromEntries(stories.map((story) => [story.story_id, story.documents]));
    fill(list);
    const byStory = {};
    for (const item of mentions.items) byStory[item.document.story_id] = (byStory[item.document.story_id] || 0) + 1;
    const shown = new Set();
    for (const item of mentions.items) {
      if (shown.has(item.document.story_id)) continue;
      shown.add(item.document.story_id);
      const size = Math.max(storySizes[item.document.story_id] || 0, byStory[item.document.story_id]);
      list.append(mentionNode(item, size - 1));
    }
    if (!mentions.items.length) list.append(el('p', { class: 'muted' }, t('noResults')));
  }
  await load();
  live = new EventSource('/api/v1/stream?topic=' + encodeURIComponent(id));
  live.addEventListener('mention', (event) => {
    const item = JSON.parse(event.data);
    if (filters.sentiment && item.sentiment !== filters.sentiment) return;
    if (filters.channel && item.document.channel !== filters.channel) return;
    list.prepend(mentionNode(item, 0));
    const badgeNode = document.getElementById('live');
    if (badgeNode) badgeNode.textContent = '● ' + t('live');
    while (list.children.length > 200) list.lastChild.remove();
  });
}

async function storyPage(page) {
  const id = hashArg();
  const story = await api('stories/' + encodeURIComponent(id));
  const docs = story.documents;
  const first = docs.reduce((a, b) => (a.published_at <= b.published_at ? a : b));
  page.append(el('h1', {}, t('story'), ': ', first.title || first.body.slice(0, 40)));
  page.append(el('p', {}, el('span', { class: 'first-pub' }, t('first'), ': ', first.site, ' · ', first.author, ' · ', time(first.published_at)),
    ' · ', fmt(docs.length), ' ', t('documents')));
  const graph = el('div', { class: 'chart', id: 'story-graph' });
  const timeline = el('div', { class: 'chart', id: 'story-timeline' });
  page.append(el('div', { class: 'grid two' }, el('div', { class: 'card' }, el('h2', {}, t('graph')), graph),
    el('div', { class: 'card' }, el('h2', {}, t('timeline')), timeline)));
  const ids = new Set(docs.map((d) => d.id));
  chart(graph, {
    tooltip: {},
    series: [{ type: 'graph', layout: 'force', roam: true, force: { repulsion: 120, edgeLength: 60 }, edgeSymbol: ['none', 'arrow'],
      label: { show: docs.length < 40, formatter: (p) => p.data.site },
      data: docs.map((d) => ({ id: d.id, name: d.site + ' ' + time(d.published_at), site: d.site, symbolSize: d.id === first.id ? 28 : 12 + Math.min(16, Math.log10(1 + d.reach) * 3),
        itemStyle: { color: d.id === first.id ? '#2f6fde' : COLORS[d.sentiment] } })),
      links: docs.filter((d) => d.id !== first.id).map((d) => ({ source: d.parent_id && ids.has(d.parent_id) ? d.parent_id : first.id, target: d.id })) }],
  });
  const sites = [...new Set(docs.map((d) => d.site))];
  chart(timeline, {
    tooltip: { formatter: (p) => p.data.label }, grid: { left: 140, right: 10, top: 10, bottom: 30 },
    xAxis: { type: 'time' }, yAxis: { type: 'category', data: sites },
    series: [{ type: 'scatter', symbolSize: 10, data: docs.map((d) => ({ value: [d.published_at, d.site], label: d.site + ' ' + time(d.published_at),
      itemStyle: { color: d.id === first.id ? '#2f6fde' : COLORS[d.sentiment] } })) }],
  });
  page.append(el('div', { class: 'card' }, docs.map((d) => mentionNode({ document: d, hits: [], sentiment: d.sentiment }, 0))));
}

// A query box that checks the query as the user types: the error's column
// underlined, lint warnings listed.
function queryBox(initial, onValid) {
  const input = el('textarea', { name: 'query', placeholder: t('searchHint'), spellcheck: 'false' });
  input.value = initial || '';
  const echo = el('div', { class: 'query-echo', id: 'query-echo' });
  const status = el('div', { id: 'query-status' });
  let timer = null;
  let seq = 0;
  async function check() {
    const mine = ++seq;
    const text = input.value;
    if (!text.trim()) { fill(echo); fill(status); return; }
    try {
      const result = await api('query/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text }) });
      if (mine !== seq) return;
      fill(echo);
      fill(status, el('div', { class: 'ok' }, '✓ ', t('validQuery'), ': ', el('code', {}, result.normalized)),
        result.warnings.map((w) => el('div', { class: 'warn' }, `⚠ ${w.column}: ${w.message} — ${w.hint}`)));
      if (onValid) onValid(text);
    } catch (error) {
      if (mine !== seq) return;
      const column = error.body.column || 1;
      const chars = Array.from(text);
      fill(echo, chars.slice(0, column - 1).join(''), el('span', { class: 'err' }, chars[column - 1] || ' '), chars.slice(column).join(''));
      fill(status, el('div', { class: 'error', id: 'query-error' }, `✗ ${error.message}`));
    }
  }
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(check, 250); });
  if (initial) check();
  return { node: el('div', { class: 'query-box' }, input, echo, status), input, check };
}

async function searchPage(page) {
  page.append(el('h1', {}, t('search')));
  const results = el('div', { id: 'results' });
  const box = queryBox(new URLSearchParams(location.hash.split('?')[1] || '').get('q') || '');
  const run = async () => {
    fill(results, el('p', { class: 'muted' }, t('loading')));
    try {
      const found = await api('search?' + new URLSearchParams({ q: box.input.value, limit: '30' }));
      fill(results, el('p', { class: 'muted' }, `${t('results')}: ${found.items.length}${found.next ? '+' : ''} · ${t('took')} ${found.took_ms.toFixed(1)} ms`),
        found.items.length ? found.items.map((item) => mentionNode(item, 0)) : el('p', {}, t('noResults')));
    } catch (error) {
      fill(results, el('p', { class: 'error' }, error.message));
    }
  };
  box.input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); run(); } });
  page.append(el('div', { class: 'card' }, box.node, el('div', { class: 'row' }, el('button', { class: 'primary', id: 'search-run', onclick: run }, t('search')))), results);
  if (box.input.value) run();
}

async function editorPage(page) {
  const id = hashArg();
  const topic = id ? await api('topics/' + encodeURIComponent(id)) : { id: '', name: '', query: '', brand: '', competitor: false, enabled: true };
  page.append(el('h1', {}, id ? t('editor') + ': ' + topic.name : t('newTopic')));
  const field = (name, value) => el('input', { name, value: value || '' });
  const idInput = field('id', topic.id);
  if (id) idInput.setAttribute('readonly', '');
  const nameInput = field('name', topic.name);
  const brandInput = field('brand', topic.brand);
  const competitor = el('input', { type: 'checkbox', name: 'competitor', checked: topic.competitor });
  const box = queryBox(topic.query);
  const preview = el('div', { id: 'preview' });
  const message = el('span', { id: 'save-status' });
  const runPreview = async () => {
    fill(preview, el('p', { class: 'muted' }, t('loading')));
    try {
      const result = await api('query/preview?' + new URLSearchParams({ q: box.input.value, limit: '5' }));
      fill(preview, el('p', { id: 'preview-count' }, `${t('matched')}: ${fmt(result.matched)} / ${fmt(result.scanned)} ${t('scanned')}`),
        result.samples.map((item) => mentionNode(item, 0)));
    } catch (error) {
      fill(preview, el('p', { class: 'error' }, error.message));
    }
  };
  const save = async () => {
    const body = { id: idInput.value.trim(), name: nameInput.value.trim(), query: box.input.value, brand: brandInput.value.trim(), competitor: competitor.checked, enabled: true };
    try {
      await api(id ? 'topics/' + encodeURIComponent(id) : 'topics', { method: id ? 'PUT' : 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      fill(message, el('span', { class: 'ok' }, t('saved')));
    } catch (error) {
      fill(message, el('span', { class: 'error' }, error.message));
    }
  };
  page.append(el('div', { class: 'card' },
    el('div', { class: 'filters' }, el('label', {}, t('id'), ' ', idInput), el('label', {}, t('name'), ' ', nameInput),
      el('label', {}, t('brand'), ' ', brandInput), el('label', {}, competitor, ' ', t('competitor'))),
    el('h2', {}, t('query')), box.node,
    el('div', { class: 'row' }, el('button', { class: 'plain', id: 'preview-run', onclick: runPreview }, t('preview')),
      el('button', { class: 'primary', onclick: save }, t('save')), message)),
  el('div', { class: 'card' }, el('h2', {}, t('preview')), preview));
}

async function warningsPage(page) {
  const warnings = await api('warnings?limit=100');
  page.append(el('h1', {}, t('warnings')));
  if (!warnings.items.length) { page.append(el('p', { class: 'muted' }, t('noWarnings'))); return; }
  const rows = warnings.items.map((w) => {
    const e = w.evidence || {};
    const c = e.components || {};
    const ack = el('button', { class: 'plain', onclick: async () => {
      await api(`warnings/${w.seq}/acknowledge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by: 'dashboard' }) });
      ack.replaceWith(el('span', { class: 'ok' }, t('acknowledged')));
    } }, t('acknowledge'));
    const mute = el('button', { class: 'plain', onclick: async () => {
      await api(`topics/${encodeURIComponent(w.topic)}/mute`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ minutes: 60 }) });
      mute.replaceWith(el('span', { class: 'muted' }, t('muted')));
    } }, t('mute'));
    return el('tr', {},
      el('td', {}, el('span', { class: 'level ' + w.level }, levelName(w.level)), ' ← ', levelName(w.previous)),
      el('td', {}, el('a', { href: '#/topic/' + encodeURIComponent(w.topic) }, w.topic)),
      el('td', { class: 'num' }, w.score.toFixed(1)), el('td', {}, time(w.at)),
      el('td', { class: 'evidence' },
        `${t('velocity')} ${(c.velocity || 0).toFixed(2)} · ${t('negative')} ${(c.negative || 0).toFixed(2)} · ${t('authority')} ${(c.authority || 0).toFixed(2)} · ${t('sensitivity')} ${(c.sensitivity || 0).toFixed(2)} · ${t('spread')} ${(c.spread || 0).toFixed(2)}`,
        el('br'), `${t('volume')} ${fmt(e.volume_last_hour)} / ${t('baseline')} ${fmt(e.baseline_median)} · ${t('negShare')} ${pct(e.negative_share)} · ${t('topSites')}: ${(e.top_sites || []).map((s) => s[0] + ' ' + s[1]).join(', ')}`,
        (e.rules || []).length ? [el('br'), `${t('rules')}: ${e.rules.join('; ')}`] : null),
      el('td', {}, w.acknowledged_at ? el('span', { class: 'ok' }, t('acknowledged')) : ack, ' ', mute));
  });
  page.append(el('div', { class: 'card' }, el('table', { id: 'warnings-table' },
    el('tr', {}, [t('level'), t('topic'), t('score'), t('time'), t('evidence'), ''].map((h) => el('th', {}, h))), rows)));
}

async function sourcesPage(page) {
  const [sources, activity, letters] = await Promise.all([api('sources'), api('sources/activity'), api('dead-letters?limit=100')]);
  page.append(el('h1', {}, t('sources')));
  const configs = Object.fromEntries(sources.map((s) => [s.config.id, s]));
  const ids = [...new Set([...sources.map((s) => s.config.id), ...activity.map((a) => a.source_id)])];
  const seconds = (value) => (value ? new Date(value * 1000).toISOString() : null);
  const rows = ids.map((id) => {
    const source = configs[id];
    const seen = activity.find((a) => a.source_id === id) || { last_day: 0, last_week: 0, daily_average: 0, dead_letters_week: 0 };
    const state = source ? source.state : {};
    // a source delivering under half its usual daily rate is flagged
    const low = seen.daily_average >= 5 && seen.last_day < seen.daily_average / 2;
    return el('tr', { 'data-source': id === null ? '(push)' : id },
      el('td', {}, id === null ? t('pushed') : id), el('td', {}, source ? source.config.kind : t('pushed')),
      el('td', {}, source ? source.config.url : '–'),
      el('td', {}, source ? time(seconds(state.last_fetch_at)) : time(seen.last_received)),
      el('td', { class: 'num' + (low ? ' error' : '') }, fmt(seen.last_day), el('span', { class: 'muted' }, ` / ${t('expected')} ${fmt(Math.round(seen.daily_average))}`)),
      el('td', { class: 'num' }, source ? fmt(state.errors) : '–', state.consecutive_failures ? el('span', { class: 'error' }, ` (${state.consecutive_failures})`) : null),
      el('td', { class: 'num' }, fmt(seen.dead_letters_week)),
      el('td', {}, source ? (source.config.enabled ? (state.last_error || 'ok') : t('disabled')) : 'ok'));
  });
  page.append(el('div', { class: 'card' }, rows.length ? el('table', { id: 'sources-table' },
    el('tr', {}, [t('id'), t('type'), t('url'), t('lastFetch'), t('perDay'), t('errors'), t('deadLetters'), t('state')].map((h) => el('th', {}, h))),
    rows) : el('p', { class: 'muted' }, t('noSources'))));
  page.append(el('div', { class: 'card' }, el('h2', {}, t('deadLetters'), ` (${fmt(letters.items.length)}${letters.next ? '+' : ''})`),
    el('table', {}, letters.items.slice(0, 50).map((l) => el('tr', {}, el('td', {}, time(l.at)), el('td', {}, l.source_id || '–'), el('td', {}, l.reason))))));
}

async function competitorsPage(page) {
  const topics = await api('topics');
  const from = isoAgo(72);
  const series = (await Promise.all(topics.map((topic) => api(`topics/${encodeURIComponent(topic.id)}/series?bucket=hour&from=${from}`))))
    .map((s) => ({ ...s, points: hourly(s.points, 72) }));
  const sums = series.map((s) => totals(s.points));
  const chosen = brandTopics(topics, sums);
  page.append(el('h1', {}, t('competitors')));
  const buckets = [...new Set(chosen.flatMap((i) => series[i].points.map((p) => p.bucket_start)))].sort();
  const counts = chosen.map((i) => Object.fromEntries(series[i].points.map((p) => [p.bucket_start, p.mentions])));
  const totalAt = buckets.map((b) => counts.reduce((acc, c) => acc + (c[b] || 0), 0));
  const sov = el('div', { class: 'chart', id: 'sov-chart' });
  const sentiment = el('div', { class: 'chart', id: 'brand-sentiment-chart' });
  page.append(el('div', { class: 'grid two' }, el('div', { class: 'card' }, el('h2', {}, t('sov')), sov),
    el('div', { class: 'card' }, el('h2', {}, t('sentiment')), sentiment)));
  chart(sov, {
    tooltip: { trigger: 'axis', valueFormatter: (v) => v + '%' }, legend: {}, grid: { left: 40, right: 10, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: buckets.map(time) }, yAxis: { type: 'value', max: 100 },
    series: chosen.map((i, k) => ({ name: topics[i].brand || topics[i].name, type: 'line', stack: 'sov', areaStyle: {}, showSymbol: false,
      data: buckets.map((b, j) => (totalAt[j] ? Math.round(((counts[k][b] || 0) / totalAt[j]) * 1000) / 10 : 0)) })),
  });
  chart(sentiment, {
    tooltip: { trigger: 'axis' }, legend: {}, grid: { left: 80, right: 10, top: 30, bottom: 30 },
    xAxis: { type: 'value' }, yAxis: { type: 'category', data: chosen.map((i) => topics[i].brand || topics[i].name) },
    series: ['positive', 'neutral', 'negative'].map((key) => ({ name: t(key), type: 'bar', stack: 's', itemStyle: { color: COLORS[key] }, data: chosen.map((i) => sums[i][key]) })),
  });
  const total = chosen.reduce((acc, i) => acc + sums[i].mentions, 0);
  page.append(el('div', { class: 'card' }, el('table', { id: 'competitors-table' },
    el('tr', {}, [t('brand'), t('volume'), t('sov'), t('favourability'), t('net'), t('positive'), t('negative')].map((h) => el('th', {}, h))),
    chosen.map((i) => el('tr', {}, el('td', {}, el('a', { href: '#/topic/' + encodeURIComponent(topics[i].id) }, topics[i].brand || topics[i].name)),
      el('td', { class: 'num' }, fmt(sums[i].mentions)), el('td', { class: 'num' }, total ? pct(sums[i].mentions / total) : '–'),
      el('td', { class: 'num' }, pct(sums[i].favourability)), el('td', { class: 'num' }, sums[i].net === null ? '–' : (sums[i].net * 100).toFixed(0)),
      el('td', { class: 'num' }, fmt(sums[i].positive)), el('td', { class: 'num' }, fmt(sums[i].negative)))))));
}

// ---------- routing ----------

const ROUTES = {
  '': overview, topic: topicPage, story: storyPage, search: searchPage, editor: editorPage,
  warnings: warningsPage, sources: sourcesPage, competitors: competitorsPage,
};
const NAV = [['#/', 'overview'], ['#/competitors', 'competitors'], ['#/warnings', 'warnings'], ['#/search', 'search'], ['#/editor', 'editor'], ['#/sources', 'sources']];

async function render() {
  const name = (location.hash.replace(/^#\/?/, '').split(/[/?]/)[0]) || '';
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.getElementById('lang').textContent = lang === 'zh' ? 'EN' : '中文';
  document.getElementById('nav').replaceChildren(...NAV.map(([href, key]) => el('a', { href, class: (href.slice(2) === name) ? 'active' : null }, t(key))));
  if (live) { live.close(); live = null; }
  while (charts.length) charts.pop().dispose();
  const page = document.getElementById('page');
  page.replaceChildren();
  page.dataset.page = name || 'overview';
  page.dataset.ready = 'false';
  try {
    await (ROUTES[name] || overview)(page);
  } catch (error) {
    page.append(el('p', { class: 'error' }, error.message));
  }
  page.dataset.ready = 'true';
}

document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('vane.lang', lang);
  render();
});
window.addEventListener('hashchange', render);
render();
