// collabfilt's try-it page: search a title, rate it, and get recommendations (with the stars you would probably give them).
// Plain JavaScript, no build step, no third-party code: everything it loads comes from the server that serves it.
'use strict';
const $ = (sel) => document.querySelector(sel);
const state = {ratings: new Map(), picked: null, n: 10, searchSeq: 0, recsSeq: 0, simSeq: 0, timer: null, scale: null,
               store: 'collabfilt.ratings'};  // the key of this browser's ratings: one per model (see start), not shared with another
const LIKE = 'like', DISLIKE = 'dislike';

async function api(path, body) {
  const opts = body === undefined ? {} : {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)};
  const res = await fetch(path, opts);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || `the server answered ${res.status}`);
  return data;
}
const query = (path, params) => `${path}?${new URLSearchParams(params)}`;
const say = (msg) => { $('#status').textContent = msg || ''; };
const bump = (name) => { document.body.dataset[name] = String(Number(document.body.dataset[name] || 0) + 1); };

function node(tag, props = {}, ...kids) {
  const el = document.createElement(tag);
  Object.assign(el, props);
  el.append(...kids);
  return el;
}
function itemRow(item, meta, onPick, extra) {
  const li = node('li', {}, node('button', {type: 'button', className: 'item', textContent: String(item), onclick: () => onPick(item)}));
  if (meta) li.append(node('span', {className: 'meta', textContent: meta}));
  if (extra) li.append(extra);
  return li;
}
function fill(list, rows, empty) {
  list.replaceChildren(...(rows.length ? rows : [node('li', {className: 'empty', textContent: empty})]));
}

// searching: as you type, a short pause after the last key
function onType() { clearTimeout(state.timer); state.timer = setTimeout(search, 150); }
async function search() {
  const q = $('#q').value.trim(), seq = ++state.searchSeq;
  if (!q) { $('#results').replaceChildren(); return; }
  try {
    const d = await api(query('search', {q, n: 8}));
    if (seq !== state.searchSeq) return;
    fill($('#results'), d.items.map(o => itemRow(o.item, o.match === 'close' ? 'close match' : `${o.n_ratings} ratings`, pick)),
         `Nothing matches "${q}".`);
    say('');
    bump('searches');
  } catch (e) { say(e.message); }
}

// picking a title: show it to be rated, and the titles most like it
function pick(item) {
  state.picked = item;
  $('#pick').hidden = false;
  $('#picked').textContent = String(item);
  $('#results').replaceChildren();
  $('#q').value = '';
  drawStars();
  similar(item);
  $('#pick').scrollIntoView({block: 'nearest'});
}
// the choices: like / not for me when the model has no ratings; else whole numbers on the model's scale, from its lowest
// to its highest, at most 11 of them, evenly spread (0, 10, ..., 100 on a scale of 0 to 100)
function choices() {
  const s = state.scale;
  if (!s) return [[LIKE, 'I like it', 'I like it'], [DISLIKE, 'Not for me', 'Not for me']];
  const lo = Math.ceil(s[0]), hi = Math.floor(s[1]), k = Math.min(hi - lo, 10);
  const vals = k < 1 ? [s[0], s[1]] : [...new Set(Array.from({length: k + 1}, (_, j) => Math.round(lo + j * (hi - lo) / k)))];
  return vals.map(r => [r, `${r}\u2605`, `${r} of ${vals[vals.length - 1]}`]);
}
// a rating as the visitor's list shows it: as many stars as the rating on a scale of 0 or more up to 10 (1 to 5 stars),
// else the number (10 of 0 to 100 is a low rating; 2 of -10 to 10 a middling one)
const shown = (r) => Number.isInteger(r) && r >= 1 && state.scale[0] >= 0 && state.scale[1] <= 10 ? '\u2605'.repeat(r) : `${r}\u2605`;
function drawStars() {
  const mine = state.ratings.get(state.picked);
  $('#stars').replaceChildren(...choices().map(([r, text, label]) => node('button', {
    type: 'button', textContent: text, onclick: () => rate(r),
    ariaLabel: label, ariaPressed: String(mine === r), id: `star-${r}`})));
}
async function similar(item) {
  const seq = ++state.simSeq;
  $('#similar-h').textContent = `Similar to ${item}`;
  try {
    const d = await api(query('similar', {item: String(item), n: 8}));
    if (seq !== state.simSeq) return;
    fill($('#similar'), d.items.map(o => itemRow(o.item, `${Math.round(o.similarity * 100)}% alike`, pick)), 'No similar titles.');
    bump('similar');
  } catch (e) { say(e.message); }
}

// rating: remember it here, then ask the server for this visitor's recommendations
function rate(r) {
  state.ratings.set(state.picked, r);
  save();
  drawStars();
  drawMine();
  recommend();
}
function unrate(item) {
  state.ratings.delete(item);
  save();
  drawMine();
  if (item === state.picked) drawStars();
  recommend();
}
function drawMine() {
  const rows = [...state.ratings].reverse().map(([item, r]) =>
    itemRow(item, typeof r === 'number' ? shown(r) : (r === LIKE ? 'liked' : 'not for me'), pick, node('button', {type: 'button', className: 'remove', textContent: '\u00d7',
            ariaLabel: `Forget my rating of ${item}`, onclick: () => unrate(item)})));
  fill($('#mine'), rows, 'None yet.');
  $('#clear').hidden = !state.ratings.size;
}
async function recommend() {
  const seq = ++state.recsSeq;
  if (!state.ratings.size) {
    fill($('#recs'), [], 'Rate a movie or two to see what you might like.');
    bump('recs');
    return;
  }
  try {
    const all = [...state.ratings], pickd = (v) => all.filter(([, r]) => r === v).map(([item]) => item);
    const body = state.scale ? {ratings: Object.fromEntries(all.filter(([, r]) => typeof r === 'number'))}
                             : {items: pickd(LIKE), dislikes: pickd(DISLIKE)};
    if (body.items && !body.items.length) delete body.items;
    if (body.dislikes && !body.dislikes.length) delete body.dislikes;
    const d = await api('visitor', {...body, n: state.n});
    if (seq !== state.recsSeq) return;
    fill($('#recs'), d.items.map(o => itemRow(o.item, o.rating == null ? '' : `\u2605 ${o.rating.toFixed(1)}`, pick)),
         'Nothing left to recommend.');
    say('');
    bump('recs');
  } catch (e) { say(e.message); }
}

function save() { try { localStorage.setItem(state.store, JSON.stringify([...state.ratings])); } catch (e) { /* private mode */ } }
function restore() {
  try { state.ratings = new Map(JSON.parse(localStorage.getItem(state.store) || '[]')); } catch (e) { state.ratings = new Map(); }
}

async function start() {
  $('#q').addEventListener('input', onType);
  $('#clear').addEventListener('click', () => { state.ratings.clear(); save(); drawMine(); if (state.picked !== null) drawStars(); recommend(); });
  try {
    const info = await api('info');
    state.scale = info.scale;
    state.store = ['collabfilt.ratings', info.model, info.n_users, info.n_items, info.n_ratings, info.item_name].join(':');
    const n = (x) => x.toLocaleString('en');
    $('#about').textContent = info.ratings
      ? `Learned from ${n(info.n_ratings)} ratings by ${n(info.n_users)} ${info.user_name}s of ${n(info.n_items)} ${info.item_name}s.`
      : `Learned from what ${n(info.n_users)} ${info.user_name}s chose among ${n(info.n_items)} ${info.item_name}s.`;
    $('#stars-hint').hidden = !info.ratings;
    if (!info.ratings) $('#rate-hint').textContent = 'Do you like it?';
    $('#version').textContent = info.version;
  } catch (e) { say(e.message); }
  restore();
  const valid = new Set(choices().map(([r]) => r));
  for (const [item, r] of [...state.ratings]) if (!valid.has(r)) state.ratings.delete(item);
  drawMine();
  if (state.ratings.size) recommend();
  document.body.dataset.ready = '1';
}
start();
