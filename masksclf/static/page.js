"use strict";
// The page of `masksclf serve`: the model's classes, thresholds and limits come from api/health, each photo goes to api/predict.
const $ = id => document.getElementById(id);
const mb = n => (n / 1e6).toFixed(n < 1e6 ? 2 : 1) + ' MB';
let cfg = null, asked = 0, previewUrl = null;

function answered() { document.body.dataset.answered = +(document.body.dataset.answered || 0) + 1; }

function fail(text) {
  $('status').textContent = '';
  $('result').hidden = true;
  $('error').textContent = text;
  $('error').hidden = false;
  answered();
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function bar(cls, p, t) {
  const noise = cls === cfg.noise_label, row = el('div', 'row' + (p > t ? ' passed' : '') + (noise ? ' noise' : ''));
  row.dataset.class = cls;
  row.dataset.prob = p;
  const track = el('div', 'bar'), fill = el('div', 'fill'), mark = el('div', 'thr');
  track.setAttribute('role', 'meter');
  track.setAttribute('aria-valuenow', p);
  track.setAttribute('aria-label', `${cls}: probability`);
  fill.style.width = (100 * p).toFixed(1) + '%';
  mark.style.left = (100 * t).toFixed(1) + '%';
  mark.title = `threshold ${t.toFixed(2)}`;
  track.append(fill, mark);
  row.append(el('span', 'name', noise ? `${cls} (no face)` : cls), track, el('span', 'num', `${(100 * p).toFixed(1)}%  (threshold ${t.toFixed(2)})`));
  return row;
}

// One colour per class, in the order of the model's classes; a face with no confident class is grey.
const COLOURS = ['#cf222e', '#0969da', '#1a7f37', '#8250df', '#bf8700', '#e16f24', '#1b7c83', '#bf3989'];
const colour = label => label ? COLOURS[cfg.vocab.indexOf(label) % COLOURS.length] : '#8c959f';

function faceBox(face, img) {
  const sx = img.clientWidth / img.naturalWidth, sy = img.clientHeight / img.naturalHeight, [x0, y0, x1, y1] = face.box;
  const box = el('div', 'face'), label = face.labels.join(' ');
  Object.assign(box.style, {left: `${x0 * sx}px`, top: `${y0 * sy}px`, width: `${(x1 - x0) * sx}px`, height: `${(y1 - y0) * sy}px`,
                            borderColor: colour(face.labels[0]), background: 'transparent'});
  box.dataset.labels = label;
  box.title = cfg.vocab.filter(c => c !== cfg.noise_label).map(c => `${c} ${(100 * face.probs[c]).toFixed(1)}%`).join('\n');
  const tag = el('span', '', label || '?');
  tag.style.background = colour(face.labels[0]);
  box.append(tag);
  return box;
}

function drawFaces(pred) {
  const img = $('preview'), faces = pred.faces || [];
  $('faces').replaceChildren(...faces.map(f => faceBox(f, img)));
  $('facecount').replaceChildren();
  if (!pred.faces) return;
  const seen = {faces: `${faces.length} face${faces.length > 1 ? 's' : ''} found; each label of the photo is a face's: hover over a face for its probabilities.`,
                photo: 'No face found: the whole photo was judged.', 'no face': 'No face found, so no mask type: this model has not learnt what a photo without a face is.'};
  $('facecount').append(seen[pred.judged] || '');
  for (const c of cfg.vocab.filter(c => c !== cfg.noise_label)) {
    const key = el('span', 'legend'); key.style.background = colour(c);
    $('facecount').append(key, c);
  }
}

function show(file, pred) {
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = URL.createObjectURL(file);
  $('faces').replaceChildren();
  $('preview').onload = () => drawFaces(pred);
  $('preview').src = previewUrl;
  window.lastPrediction = pred;
  $('message').textContent = pred.message;
  $('message').className = pred.confident ? '' : 'none';
  $('bars').replaceChildren(...cfg.vocab.map(c => bar(c, pred.probs[c], pred.thresholds[c])));
  $('status').textContent = file.name;
  $('error').hidden = true;
  $('result').hidden = false;
  answered();
}

async function predict(file) {
  const n = ++asked;
  if (!cfg) return fail('The server has not described its model yet: reload the page.');
  if (file.size === 0) return fail(`${file.name}: empty file (0 bytes)`);
  if (file.size > cfg.max_bytes) return fail(`${file.name}: ${mb(file.size)} is over the ${mb(cfg.max_bytes)} limit`);
  $('status').textContent = `Looking at ${file.name}...`;
  const form = new FormData();
  form.append('file', file, file.name);
  let res, body;
  try {
    res = await fetch('api/predict', {method: 'POST', body: form});
    body = await res.json().catch(() => ({}));
  } catch (e) {
    if (n === asked) fail(`${file.name}: no answer from the server (${e.message})`);
    return;
  }
  if (n !== asked) return;
  if (!res.ok) return fail(body.error || `${file.name}: the server answered ${res.status} ${res.statusText}`);
  show(file, body);
}

async function configure() {
  try {
    const res = await fetch('api/health');
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    cfg = await res.json();
  } catch (e) {
    return fail(`The server did not describe its model (${e.message}).`);
  }
  $('limits').textContent = `One image at a time (JPEG, PNG, WebP, ...), up to ${mb(cfg.max_bytes)}.`;
  $('about').textContent = `Model ${cfg.model}; classes: ` + cfg.vocab.map(c => `${c} (threshold ${cfg.thresholds[c].toFixed(2)})`).join(', ') + '.';
  document.body.dataset.ready = 1;
}

$('file').addEventListener('change', e => { if (e.target.files.length) predict(e.target.files[0]); });
const drop = $('drop');
for (const t of ['dragenter', 'dragover']) drop.addEventListener(t, e => { e.preventDefault(); drop.classList.add('over'); });
for (const t of ['dragleave', 'drop']) drop.addEventListener(t, () => drop.classList.remove('over'));
drop.addEventListener('drop', e => {
  e.preventDefault();
  const files = e.dataTransfer.files;
  if (files.length) predict(files[0]); else fail('Nothing to look at: drop an image file.');
});
for (const t of ['dragover', 'drop']) window.addEventListener(t, e => e.preventDefault());
window.addEventListener('resize', () => { if (window.lastPrediction) drawFaces(window.lastPrediction); });
configure();
