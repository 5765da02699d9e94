// Stepwise dashboard. Plain JS, no build step. Every piece of data from the API is put on the page through
// textContent / createTextNode / setAttribute (never innerHTML): task notes and model errors are untrusted text.
'use strict';

const STATUSES = ['pending', 'running', 'awaiting_review', 'succeeded', 'failed', 'cancelled', 'rejected'];
// ---- signing in ---------------------------------------------------------------------------------------------
// When the API needs a token, the server puts its OpenID Connect settings in a meta tag and the page signs in with
// the authorization-code flow and PKCE (RFC 7636): a public client, so no secret, and the code is useless without
// the verifier kept in this tab. The access token lives in sessionStorage (this tab only) and goes out as a bearer
// token on every API call. Without the meta tag the API is open and none of this runs.
const SIGN_IN = (() => {
  const meta = document.querySelector('meta[name="stepwise-sign-in"]');
  try { const c = JSON.parse((meta && meta.content) || 'null'); return c && c.authorizeUrl ? c : null; } catch (e) { return null; }
})();
const TOKEN_KEY = 'stepwise.token';
const PENDING_KEY = 'stepwise.signIn';
const pageUrl = new URLSearchParams(location.search);
// Back from the issuer: its answer (code or error) is in the URL; the page's own parameters were kept for the trip.
const callback = SIGN_IN && pageUrl.has('state') && (pageUrl.has('code') || pageUrl.has('error')) ? pageUrl : null;
const pending = callback ? JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null') : null;
const params = callback ? new URLSearchParams(pending ? pending.search : '') : pageUrl;
// ?poll=ms lets a demo or a test watch faster; the default keeps the load on the API low.
const POLL_MS = Math.max(250, Number(params.get('poll')) || 2000);
const HEALTH_MS = 60000;
// metrics and alerts: 10 s by default, five polls; a faster ?poll= makes them faster too
const METRICS_MS = 5 * POLL_MS;

const state = {
  status: '',
  cursors: [null], // cursor of each page seen so far; the last one is the current page
  messages: new Map(), // taskId -> {text, kind}: kept across re-renders until the next action on that task
  batchId: params.get('batch') || '',
  batchMessage: null,
  lastTasks: [],
};

// ---- small helpers ------------------------------------------------------------------------------------------

function $(id) { return document.getElementById(id); }

/** Builds an element; children are nodes or strings (strings become text nodes, never markup). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function replace(container, ...children) { container.replaceChildren(...children.flat().filter(Boolean)); }

function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function ms(value) {
  if (value === null || value === undefined) return '—';
  return value >= 1000 ? (value / 1000).toFixed(1) + ' s' : Math.round(value) + ' ms';
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomValue() { return base64url(crypto.getRandomValues(new Uint8Array(32))); }

function redirectUri() { return location.origin + location.pathname; }

function token() { return SIGN_IN ? sessionStorage.getItem(TOKEN_KEY) : null; }

/** Off to the issuer's sign-in page, with a fresh PKCE verifier and state kept in this tab. */
async function signIn() {
  const verifier = randomValue();
  const stateValue = randomValue();
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state: stateValue, search: location.search }));
  const url = new URL(SIGN_IN.authorizeUrl, location.href);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: SIGN_IN.clientId, redirect_uri: redirectUri(), scope: SIGN_IN.scope,
    state: stateValue, code_challenge: challenge, code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** Back from the issuer: the code and the kept verifier for an access token. Returns an error text, or null. */
async function completeSignIn() {
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', location.pathname + (pending ? pending.search : ''));
  if (callback.has('error')) return 'sign-in failed: ' + (callback.get('error_description') || callback.get('error'));
  if (!pending || pending.state !== callback.get('state')) return 'sign-in failed: the answer does not belong to a sign-in started here';
  let response;
  try {
    response = await fetch(new URL(SIGN_IN.tokenUrl, location.href), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', client_id: SIGN_IN.clientId, code: callback.get('code'),
        redirect_uri: redirectUri(), code_verifier: pending.verifier,
      }),
    });
  } catch (e) {
    return 'sign-in failed: the token endpoint cannot be reached';
  }
  const data = await response.json().catch(() => null);
  if (!response.ok || !data || !data.access_token) {
    return 'sign-in failed: ' + ((data && (data.error_description || data.error)) || 'HTTP ' + response.status);
  }
  sessionStorage.setItem(TOKEN_KEY, data.access_token);
  return null;
}

/** Who the token says the user is (shown only; the API checks the token itself). */
function signedInAs(jwt) {
  try {
    const claims = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return claims.email || claims.username || claims['cognito:username'] || claims.sub || 'signed in';
  } catch (e) {
    return 'signed in';
  }
}

function showSignedOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  $('main').hidden = true;
  $('who').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in-panel').hidden = false;
  $('sign-in-message').textContent = message || '';
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  if (SIGN_IN.logoutUrl) {
    const url = new URL(SIGN_IN.logoutUrl, location.href);
    url.search = new URLSearchParams({ client_id: SIGN_IN.clientId, logout_uri: redirectUri() }).toString();
    location.assign(url.toString());
  } else {
    showSignedOut('signed out');
  }
}

// The last body and ETag of each GET: a poll sends If-None-Match and, on 304, reuses the body it already has.
// The API's tags include the caller, so a body kept for one signed-in user never answers for another.
const lastSeen = new Map();

/** Calls the JSON API (relative to the page, so a stage prefix in the URL keeps working). */
async function api(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  const seen = method === 'GET' ? lastSeen.get(path) : undefined;
  if (seen) init.headers['If-None-Match'] = seen.etag;
  if (SIGN_IN) {
    const jwt = token();
    if (!jwt) return { ok: false, status: 401, data: null, message: 'sign in first' };
    init.headers.Authorization = 'Bearer ' + jwt;
  }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch('api/' + path, init);
  } catch (e) {
    return { ok: false, status: 0, message: 'the API cannot be reached' };
  }
  if (response.status === 304 && seen) return { ok: true, status: 200, data: seen.data, message: null, unchanged: true };
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  const etag = response.headers.get('ETag');
  if (method === 'GET' && response.ok && etag) {
    lastSeen.delete(path);
    lastSeen.set(path, { etag, data });
    if (lastSeen.size > 200) lastSeen.delete(lastSeen.keys().next().value); // the oldest: paging can visit many
  }
  if (SIGN_IN && response.status === 401) {
    showSignedOut('your sign-in has expired: sign in again');
    return { ok: false, status: 401, data, message: 'sign in first' };
  }
  const message = !response.ok ? (data && (data.detail || data.title)) || ('HTTP ' + response.status) : null;
  return { ok: response.ok, status: response.status, data, message };
}

// ---- counts and tasks ---------------------------------------------------------------------------------------

async function refreshCounts() {
  const r = await api('GET', 'tasks/stats');
  $('live').classList.toggle('stale', !r.ok);
  $('live').textContent = r.ok ? 'live · ' + new Date().toLocaleTimeString() : 'offline: ' + r.message;
  if (!r.ok) return;
  replace($('counts'), STATUSES.map(s => el('li', { 'data-status': s }, s + ' ', el('b', { text: r.data[s] ?? 0 }))));
}

async function refreshTasks() {
  const cursor = state.cursors[state.cursors.length - 1];
  const query = new URLSearchParams({ limit: '10' });
  if (state.status) query.set('status', state.status);
  if (cursor) query.set('cursor', cursor);
  const r = await api('GET', 'tasks?' + query);
  if (!r.ok) {
    replace($('tasks'), el('p', { class: 'message error', text: 'tasks unavailable: ' + r.message }));
    return;
  }
  state.lastTasks = r.data.items;
  state.nextCursor = r.data.nextCursor;
  renderTasks(r.data.items);
  $('older').disabled = !r.data.nextCursor;
  $('newer').disabled = state.cursors.length === 1;
  $('page-label').textContent = 'page ' + state.cursors.length;
}

// A card is rebuilt only when its task (or its message) changed, so polling does not replace the button under a
// pointer that is about to click it.
const cards = new Map(); // taskId -> { sig, node }
function renderTasks(items) {
  if (!items.length) {
    cards.clear();
    replace($('tasks'), el('p', { class: 'empty', text: 'No tasks here yet.' }));
    return;
  }
  const unique = new Map();
  for (const task of items) {
    const seen = unique.get(task.taskId);
    if (!seen || seen.updatedAt < task.updatedAt) unique.set(task.taskId, task);
  }
  const nodes = Array.from(unique.values()).map(task => {
    const sig = JSON.stringify(task) + '|' + JSON.stringify(state.messages.get(task.taskId) || null) + '|' + !!pipelineInfo;
    const known = cards.get(task.taskId);
    if (known && known.sig === sig) return known.node;
    const node = taskCard(task);
    cards.set(task.taskId, { sig, node });
    return node;
  });
  const current = Array.from($('tasks').children);
  if (current.length !== nodes.length || current.some((n, i) => n !== nodes[i])) {
    replace($('tasks'), nodes);
  }
  for (const id of Array.from(cards.keys())) {
    if (!items.some(t => t.taskId === id)) cards.delete(id);
  }
}

function taskCard(task) {
  const retryable = task.status === 'failed' || task.status === 'cancelled' || task.status === 'rejected';
  const active = task.status === 'pending' || task.status === 'running' || task.status === 'awaiting_review';
  const note = task.input && task.input.note;
  const message = state.messages.get(task.taskId);
  // The API lists the task's steps in its pipeline's order, so the page draws any pipeline.
  const steps = task.steps || [];
  const stepList = el('ol', { class: 'steps', 'aria-label': 'steps' }, steps.map((s, i) => {
    const name = s.name;
    const label = stepLabel(task.pipeline, name);
    const hint = [name + ': ' + s.status, s.progress ? s.progress.done + ' of ' + s.progress.total + ' items' : null,
      s.attempts ? 'attempts ' + s.attempts : null, s.durationMs != null ? ms(s.durationMs) : null,
      s.model ? 'model ' + s.model : null,
      s.status === 'retrying' ? 'attempt ' + s.attempt + ' by ' + time(s.nextAttemptAt) + (s.error ? ' after ' + s.error.type : '') : null,
      retryable ? 'click to retry from here' : null].filter(Boolean).join(' · ');
    return el('li', {},
      el('button', { type: 'button', class: 'step', 'data-step': name, 'data-status': s.status, title: hint,
        disabled: !retryable, onclick: () => confirmRetry(task, name) }, (i + 1) + ' ' + label,
        s.status === 'retrying' ? el('small', { class: 'retry-note', text: ' ↻ ' + s.attempt }) : null,
        progressBar(s)));
  }));
  return el('article', { class: 'task', 'data-task-id': task.taskId, 'data-status': task.status },
    el('div', { class: 'task-head' },
      el('span', { class: 'badge ' + task.status, text: task.status }),
      note ? el('span', { class: 'note', text: note }) : null,
      el('span', { class: 'pipeline', 'data-role': 'pipeline', text: task.pipeline || '' }),
      el('a', { class: 'task-id', href: taskViewHref(task.taskId), 'data-role': 'open-task', title: 'open task ' + task.taskId, text: task.taskId.slice(0, 8) }),
      el('span', { class: 'muted', text: 'created ' + time(task.createdAt) }),
      task.retryCount ? el('span', { class: 'muted', text: 'retries ' + task.retryCount }) : null,
      task.batchId ? el('button', { class: 'link', type: 'button', title: task.batchId, text: 'batch ' + task.batchId.slice(0, 8),
        onclick: () => openBatch(task.batchId) }) : null),
    stepList,
    task.error ? el('p', { class: 'error', 'data-role': 'error' },
      (task.error.step || task.failedStep || 'task') + ' failed: ' + (task.error.type ? task.error.type + ': ' : ''), task.error.message || '') : null,
    el('div', { class: 'actions' },
      el('button', { type: 'button', 'data-action': 'retry', disabled: !(retryable && task.resumable),
        title: retryable && !task.resumable ? 'an earlier checkpoint is gone: retry from an earlier step' : null,
        text: task.failedStep ? 'Retry from ' + task.failedStep : 'Retry',
        onclick: () => act(task.taskId, 'tasks/' + encodeURIComponent(task.taskId) + '/retry', 'retry started') }),
      el('button', { type: 'button', 'data-action': 'cancel', disabled: !active, text: 'Cancel',
        onclick: () => act(task.taskId, 'tasks/' + encodeURIComponent(task.taskId) + '/cancel', 'cancelled') }),
      task.status === 'awaiting_review' ? el('a', { class: 'button-link', href: taskViewHref(task.taskId), 'data-action': 'open-review',
        text: 'Review ' + stepLabel(task.pipeline, task.review && task.review.step) }) : null,
      el('span', { class: 'message ' + (message ? message.kind : ''), 'data-role': 'message', role: 'status', text: message ? message.text : '' })));
}

/** A running per-item step's items done of its total (steps[].progress), as a bar inside the step. */
function progressBar(s) {
  if (!s.progress || !s.progress.total) return null;
  const fill = el('span', { class: 'step-progress-fill' });
  fill.style.width = Math.min(100, Math.round(100 * s.progress.done / s.progress.total)) + '%'; // CSSOM: the CSP allows no style attribute
  return el('span', { class: 'step-progress', 'data-role': 'step-progress', role: 'progressbar',
    'aria-valuemin': '0', 'aria-valuemax': String(s.progress.total), 'aria-valuenow': String(s.progress.done),
    'aria-label': s.progress.done + ' of ' + s.progress.total }, fill,
    el('small', { class: 'step-progress-text', text: s.progress.done + '/' + s.progress.total }));
}

/** Runs an action on a task; the server's refusal (e.g. a 409's detail) is shown next to the task. */
async function act(taskId, path, done) {
  const r = await api('POST', path);
  state.messages.set(taskId, r.ok ? { text: done, kind: 'ok' } : { text: r.message, kind: 'error' });
  await refreshTasks();
  refreshCounts();
}

let pendingRetry = null;
function confirmRetry(task, step) {
  pendingRetry = { taskId: task.taskId, step };
  $('confirm-text').textContent = 'Retry task ' + task.taskId.slice(0, 8) + ' from ' + step
    + '? This step and every later one run again; earlier steps keep their results.';
  $('confirm-yes').textContent = 'Retry from ' + step;
  $('confirm').showModal();
}

// ---- start ----------------------------------------------------------------------------------------------------
// The form is drawn from the chosen pipeline's input schema (GET /api/pipelines inputSchema), so any installed
// pipeline can be started from here. A field left empty is not sent: the pipeline's configured default applies.
// Each pipeline's drawn form is kept while the page is open, so switching back finds what was typed.

const startForms = new Map(); // pipeline name -> its fields, drawn once

async function fillPipelines() {
  const all = await pipelinesInfo();
  const names = Object.keys(all);
  if (!names.length) {
    showStart({ ok: false, message: 'pipelines unavailable: ' + (pipelinesProblem || 'none is installed') });
    return;
  }
  const chosen = names.find(n => all[n].isDefault) || names[0];
  replace($('new-pipeline'), names.map(name => el('option', { value: name, text: name, selected: name === chosen })));
  $('start-task').disabled = false;
  $('start-batch').disabled = false;
  showStartFields();
  if (state.lastTasks.length) renderTasks(state.lastTasks); // now with the steps' labels
}

function showStartFields() {
  const name = $('new-pipeline').value;
  const info = pipelineInfo && pipelineInfo[name];
  if (!info) return;
  if (!startForms.has(name)) startForms.set(name, inputForm(info.inputSchema || {}));
  replace($('start-fields'), startForms.get(name));
  $('start-fields').dataset.pipeline = name;
  // a pipeline with a review step: its tasks may wait for a person before the step after it
  const review = info.review;
  replace($('start-review'), review ? el('label', {},
    el('input', { type: 'checkbox', id: 'new-review', checked: review.byDefault }),
    ' Wait for my review after ' + (info.labels[review.after] || review.after)) : null);
}

/** A word for people from a field name: maxPapers → "Max papers", min_chars → "Min chars". */
function humanize(name) {
  const words = String(name).replace(/[_-]+/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The fields of an object schema: required ones first, then choices and numbers, free text, lists, and groups
 * (nested objects, drawn as a fieldset whose inputs name their path, e.g. group.field). At the top level, optional
 * lists and groups sit in a closed "More fields", so the form stays short on a phone.
 */
function inputForm(schema) {
  const [main, more] = objectFields(schema, '', 3);
  return el('div', { class: 'start-fields-body' },
    el('div', { class: 'start-fields-grid' }, main),
    more.length ? el('details', { class: 'more-fields', 'data-role': 'more-fields' },
      el('summary', { text: 'More fields: ' + more.map(node => node.dataset.name).join(', ') }),
      el('div', { class: 'start-fields-grid' }, more)) : null);
}

/** The fields drawn, as [those ranked below {@code split}, the rest]; without a split, all in the first. */
function objectFields(schema, prefix, split) {
  const required = new Set(schema.required || []);
  const rank = ([name, s]) => required.has(name) ? 0
    : s.type === 'object' ? 4 : s.type === 'array' ? 3 : s.type === 'string' && !s.enum ? 2 : 1;
  const drawn = Object.entries(schema.properties || {})
    .sort((a, b) => rank(a) - rank(b))
    .map(entry => {
      const [name, s] = entry;
      const node = s && s.type === 'object' && s.properties
        ? el('fieldset', { class: 'field-group', 'data-group': prefix + name },
            el('legend', { text: humanize(name) }), s.description ? el('small', { class: 'hint', text: s.description }) : null,
            objectFields(s, prefix + name + '.')[0])
        : field(prefix + name, name, s || {}, required.has(name));
      node.dataset.name = humanize(name);
      return { node, later: split !== undefined && rank(entry) >= split };
    });
  return [drawn.filter(d => !d.later).map(d => d.node), drawn.filter(d => d.later).map(d => d.node)];
}

/** One input for one schema field; its data-kind says how its text becomes the JSON value sent. */
function field(path, name, s, required) {
  const id = 'in-' + path.replace(/[^A-Za-z0-9_-]/g, '-');
  const common = { id, 'data-field': path, title: s.description || null, required: required || null };
  const hints = [];
  let input;
  if (Array.isArray(s.enum)) {
    // string choices keep their own value; any other kind of choice travels as JSON
    const plain = s.enum.every(v => typeof v === 'string');
    input = el('select', { ...common, 'data-kind': plain ? 'string' : 'json' },
      required ? null : el('option', { value: '', text: s.default !== undefined ? 'default (' + s.default + ')' : 'default' }),
      s.enum.map(v => el('option', { value: plain ? v : JSON.stringify(v), text: String(v) })));
  } else if (s.type === 'boolean') {
    input = el('select', { ...common, 'data-kind': 'boolean' },
      el('option', { value: '', text: s.default !== undefined ? 'default (' + (s.default ? 'yes' : 'no') + ')' : 'default' }),
      el('option', { value: 'true', text: 'yes' }), el('option', { value: 'false', text: 'no' }));
  } else if (s.type === 'integer' || s.type === 'number') {
    const range = s.minimum !== undefined && s.maximum !== undefined ? s.minimum + '–' + s.maximum : null;
    input = el('input', { ...common, type: 'number', 'data-kind': s.type, min: s.minimum, max: s.maximum,
      step: s.type === 'integer' ? 1 : 'any', placeholder: s.default !== undefined ? String(s.default) : 'default' });
    if (range) hints.push(range);
  } else if (s.type === 'string') {
    input = el('input', { ...common, type: 'text', 'data-kind': 'string', minlength: s.minLength, maxlength: s.maxLength,
      placeholder: s.default !== undefined ? String(s.default) : required ? 'required' : 'optional' });
  } else if (s.type === 'array' && s.items && ['string', 'integer', 'number'].includes(s.items.type)) {
    input = el('input', { ...common, type: 'text', 'data-kind': 'list-' + s.items.type,
      placeholder: s.default !== undefined ? s.default.join(', ') : 'default' });
    hints.push('comma-separated' + (s.maxItems ? ', at most ' + s.maxItems : ''));
  } else {
    input = el('input', { ...common, type: 'text', 'data-kind': 'json', placeholder: 'JSON, or empty for the default' });
  }
  if (s.description) hints.unshift(s.description);
  const wide = s.type === 'string' && !Array.isArray(s.enum) && !(s.maxLength < 100); // free text gets room
  return el('label', { class: 'field' + (wide ? ' wide' : ''), for: id },
    el('span', { class: 'field-name', text: humanize(name) + (required ? ' *' : '') }),
    input,
    hints.length ? el('small', { class: 'hint', text: hints.join(' · ') }) : null);
}

/** The task body the form describes: only filled fields, nested by their path. Throws a message for bad JSON. */
function formBody(container) {
  const body = {};
  for (const input of container.querySelectorAll('[data-field]')) {
    const text = input.value.trim();
    if (text === '') continue;
    const kind = input.dataset.kind;
    let value;
    if (kind === 'json') {
      try { value = JSON.parse(text); } catch (e) { throw new Error(input.dataset.field + ' must be JSON'); }
    } else if (kind === 'boolean') value = text === 'true';
    else if (kind === 'integer' || kind === 'number') value = Number(text);
    else if (kind && kind.startsWith('list-')) {
      value = text.split(',').map(v => v.trim()).filter(Boolean);
      if (kind !== 'list-string') value = value.map(Number);
    } else value = input.value; // a string as typed: the pipeline decides what whitespace means
    const path = input.dataset.field.split('.');
    let at = body;
    for (const key of path.slice(0, -1)) at = at[key] = at[key] || {};
    at[path[path.length - 1]] = value;
  }
  return body;
}

/** The chosen pipeline and the form's fields, as POST /api/tasks takes them (and each task of a batch). */
function startBody() {
  const pipeline = $('new-pipeline').value;
  const body = { pipeline, ...formBody($('start-fields')) };
  const review = $('new-review');
  if (review) body.review = review.checked;
  return body;
}

async function startTask() {
  let body;
  try { body = startBody(); } catch (e) { showStart({ ok: false, message: e.message }); return; }
  const r = await api('POST', 'tasks', body);
  showStart(r, r.ok ? 'started task ' + r.data.taskId : null);
  if (r.ok) resetPaging();
}

async function startBatch() {
  let task;
  try { task = startBody(); } catch (e) { showStart({ ok: false, message: e.message }); return; }
  const r = await api('POST', 'batches', { count: Number($('batch-count').value) || 1, task });
  if (r.ok) {
    const notStarted = r.data.notStarted.length ? ', ' + r.data.notStarted.length + ' not started (see the batch)' : '';
    showStart(r, 'started batch of ' + r.data.taskIds.length + ' ' + task.pipeline + ' tasks' + notStarted);
    openBatch(r.data.batchId);
    resetPaging();
  } else {
    showStart(r);
  }
}

function showStart(r, okText) {
  const m = $('start-message');
  m.className = 'message ' + (r.ok ? 'ok' : 'error');
  m.textContent = r.ok ? okText : r.message;
}

function resetPaging() {
  state.cursors = [null];
  refreshTasks();
  refreshCounts();
}

// ---- batch ------------------------------------------------------------------------------------------------------

function openBatch(batchId) {
  state.batchId = batchId;
  state.batchMessage = null;
  $('batch-id').value = batchId;
  refreshBatch();
}

async function refreshBatch() {
  if (!state.batchId) {
    replace($('batch'), el('p', { class: 'muted', text: 'Open a batch to see its progress.' }));
    return;
  }
  const r = await api('GET', 'batches/' + encodeURIComponent(state.batchId));
  if (!r.ok) {
    replace($('batch'), el('p', { class: 'message error', text: r.message }));
    return;
  }
  const b = r.data;
  const done = (b.stats.succeeded || 0) + (b.stats.failed || 0) + (b.stats.cancelled || 0) + (b.stats.rejected || 0);
  const bar = el('div', { class: 'bar', role: 'img', 'aria-label': done + ' of ' + b.total + ' finished' });
  for (const s of ['succeeded', 'failed', 'cancelled', 'rejected', 'awaiting_review', 'running', 'pending']) {
    if (b.stats[s]) {
      const part = el('span', { class: s, title: s + ' ' + b.stats[s] });
      part.style.flexGrow = String(b.stats[s]); // CSSOM, which the page's CSP allows (style attributes it does not)
      bar.append(part);
    }
  }
  const m = state.batchMessage;
  const status = b.status || 'running';
  const failed = b.failed || [];
  const retries = b.retries || [];
  replace($('batch'),
    el('p', { class: 'muted' }, 'batch ', el('span', { class: 'task-id', text: b.batchId }), ' · created ' + time(b.createdAt)),
    el('p', { id: 'batch-status' }, el('span', { class: 'badge ' + status, 'data-status': status, text: status }),
      ' · at most ' + (b.maxRunning ?? '-') + ' running · ' + done + ' of ' + b.total + ' done' +
      (b.progress ? ' (' + b.progress.percent + ' %)' : '')),
    bar,
    el('dl', { class: 'kv', id: 'batch-stats' },
      el('dt', { text: 'total' }), el('dd', { 'data-stat': 'total', text: b.total }),
      STATUSES.flatMap(s => [el('dt', { text: s }), el('dd', { 'data-stat': s, text: b.stats[s] ?? 0 })])),
    el('div', { class: 'actions' },
      el('button', { type: 'button', id: 'batch-pause', disabled: status !== 'running', text: 'Pause', onclick: () => steerBatch('pause') }),
      el('button', { type: 'button', id: 'batch-resume', disabled: status !== 'paused', text: 'Resume', onclick: () => steerBatch('resume') }),
      el('button', { type: 'button', id: 'batch-cancel', disabled: status === 'finished', text: 'Cancel batch', onclick: () => steerBatch('cancel') }),
      el('button', { type: 'button', id: 'retry-failed', disabled: !b.stats.failed, text: 'Retry all failed (' + (b.stats.failed || 0) + ')',
        onclick: retryFailed })),
    m ? el('div', { class: 'message ' + m.kind, id: 'batch-message', role: 'status' }, m.lines.map(line => el('div', { text: line }))) : null,
    failed.length ? el('h3', { text: 'Failed tasks' }) : null,
    failed.length ? el('ul', { id: 'batch-failed', class: 'plain' }, failed.map(f =>
      el('li', { 'data-task': f.taskId },
        el('span', { class: 'task-id', title: f.taskId, text: f.taskId.slice(0, 8) }),
        ' at ', el('strong', { text: f.failedStep || '-' }), ': ', el('span', { text: (f.errorType ? f.errorType + ': ' : '') + (f.reason || '') }),
        ' ', el('button', { type: 'button', class: 'retry-task', text: 'Retry', onclick: e => retryBatchTask(f.taskId, e.target) })))) : null,
    retries.length ? el('h3', { text: 'Retries' }) : null,
    retries.length ? el('ul', { id: 'batch-retries', class: 'plain' }, retries.map(r =>
      el('li', { text: time(r.at) + ' · ' + (r.kind === 'task' ? 'retried task ' + (r.taskId || '').slice(0, 8) : 'retry all failed: ' + r.count + ' tasks') }))) : null);
}

/** pause, resume or cancel the open batch; a refusal (409) is shown as the batch's message. */
async function steerBatch(action) {
  const r = await api('POST', 'batches/' + encodeURIComponent(state.batchId) + '/' + action);
  if (r.ok) {
    const cancelled = action === 'cancel' ? ': ' + r.data.cancelled.length + ' tasks cancelled' : '';
    state.batchMessage = { kind: 'ok', lines: [action === 'pause' ? 'paused' : action === 'resume' ? 'resumed' : 'cancelled' + cancelled] };
  } else {
    state.batchMessage = { kind: 'error', lines: [r.message] };
  }
  refreshBatch();
  refreshTasks();
}

/** One failed task of the batch retried from its failed step (it waits for a slot of its batch). */
async function retryBatchTask(taskId, button) {
  button.disabled = true;
  const r = await api('POST', 'tasks/' + encodeURIComponent(taskId) + '/retry');
  state.batchMessage = r.ok
    ? { kind: 'ok', lines: ['retried ' + taskId.slice(0, 8) + ': ' + r.data.status] }
    : { kind: 'error', lines: [r.message] };
  refreshBatch();
  refreshTasks();
}

async function retryFailed() {
  $('retry-failed').disabled = true;
  const r = await api('POST', 'batches/' + encodeURIComponent(state.batchId) + '/retry-failed');
  if (r.ok) {
    const started = (r.data.started || []).length; // tasks a cut-short batch request had left pending
    const lines = ['retried ' + r.data.retried.length + (started ? ', started ' + started : '') + ', skipped ' + r.data.skipped.length];
    r.data.skipped.forEach(s => lines.push(s.taskId.slice(0, 8) + ': ' + s.reason));
    state.batchMessage = { kind: r.data.skipped.length ? 'error' : 'ok', lines };
  } else {
    state.batchMessage = { kind: 'error', lines: [r.message] };
  }
  refreshBatch();
  refreshTasks();
}

// ---- metrics ----------------------------------------------------------------------------------------------------

async function refreshMetrics() {
  const r = await api('GET', 'metrics?window=' + encodeURIComponent($('metrics-window').value));
  if (!r.ok) {
    replace($('metrics'), el('p', { class: 'muted', text: 'metrics unavailable: ' + r.message }));
    return;
  }
  const m = r.data;
  const figure = (label, value, id) => el('div', { class: 'figure', 'data-metric': id }, el('b', { text: value }), el('small', { text: label }));
  const rate = m.successRate === null || m.successRate === undefined ? '—' : (m.successRate * 100).toFixed(1) + ' %';
  const retries = Object.entries(m.retryCounts || {});
  const failures = Object.entries(m.failuresByStep || {}).flatMap(([step, types]) => Object.entries(types).map(([type, n]) => [step, type, n]));
  replace($('metrics'),
    el('div', { class: 'figures' },
      figure('success rate', rate, 'successRate'),
      figure('finished', m.finished, 'finished'),
      figure('p50 duration', ms(m.durationMs && m.durationMs.p50), 'p50'),
      figure('p90 duration', ms(m.durationMs && m.durationMs.p90), 'p90')),
    el('p', { class: 'muted', text: 'retries per task: ' + (retries.length ? retries.map(([k, n]) => k + '× ' + n).join(' · ') : 'none') }),
    failures.length
      ? el('table', {}, el('thead', {}, el('tr', {}, el('th', { text: 'step' }), el('th', { text: 'error' }), el('th', { text: 'failures' }))),
          el('tbody', {}, failures.map(([step, type, n]) => el('tr', {}, el('td', { text: step }), el('td', { text: type }), el('td', { text: n })))))
      : el('p', { class: 'muted', text: 'no failures in this window' }));
}

// ---- alerts -------------------------------------------------------------------------------------------------------

const ALERT_TEXT = {
  'failure-rate': a => 'failure rate ' + a.value + ' % (over ' + a.threshold + ' %)',
  'slow-tasks': a => 'slow tasks: ' + ms(a.value) + ' on average (over ' + ms(a.threshold) + ')',
  'stuck-tasks': a => a.value + ' stuck task' + (a.value === 1 ? '' : 's') + ' (no step progress)',
  'backlog': a => 'backlog: ' + a.value + ' tasks pending (over ' + a.threshold + ')',
  'model-health': a => a.value + ' model' + (a.value === 1 ? '' : 's') + ' unhealthy',
};

/** The banner names every active alert (GET /api/alerts); hidden when none is active. */
async function refreshAlerts() {
  const r = await api('GET', 'alerts');
  const banner = $('alert-banner');
  const active = r.ok ? r.data.active || [] : [];
  banner.hidden = active.length === 0;
  replace(banner, active.length === 0 ? [] : [
    el('b', { text: active.length === 1 ? 'Alert' : active.length + ' alerts' }),
    el('ul', {}, active.map(a => el('li', { 'data-rule': a.rule, title: 'since ' + new Date(a.since).toLocaleString() },
      el('code', { text: a.rule }), ' ', (ALERT_TEXT[a.rule] || (x => String(x.value)))(a)))),
  ]);
}

// ---- model health -------------------------------------------------------------------------------------------------

async function refreshHealth(check) {
  const button = $('health-check');
  button.disabled = true;
  const r = check ? await api('POST', 'models/health/check') : await api('GET', 'models/health');
  button.disabled = false;
  if (!r.ok) {
    $('health-checked').textContent = '';
    const why = r.status === 404 ? 'this deployment does not report model health' : r.message;
    replace($('health'), el('p', { class: 'message error', id: 'health-unavailable', text: 'Model health data unavailable: ' + why }));
    return;
  }
  const h = r.data;
  // Each model's calls over the last day beside its health; a deployment without the figures shows none.
  const u = await api('GET', 'models/usage?window=24h');
  const usage = new Map(u.ok ? (u.data.models || []).map(m => [m.name, m]) : []);
  $('health-checked').textContent = 'checked ' + time(h.checkedAt) + (h.intervalSeconds ? ' · every ' + h.intervalSeconds + ' s' : '');
  replace($('health'), (h.models || []).map(m => healthCard(m, usage.get(m.name))));
}

/** One model's last 24 h: calls, failures, cost and latency percentiles (upper bounds of the sketch's buckets). */
function usageFigures(u) {
  if (!u) return null;
  const failed = Object.values(u.failures || {}).reduce((a, b) => a + b, 0);
  const p = u.latencyMs || {};
  return [el('dt', { text: 'calls (24 h)' }),
    el('dd', { 'data-role': 'model-usage', text: u.calls + ' · ' + failed + ' failed · ' + usd(u.costUsd)
      + (p.p50 != null ? ' · p50 ≤' + p.p50 + ' ms · p95 ≤' + p.p95 + ' ms' : '') })];
}

function healthCard(m, usage) {
  const status = STATUS_OF_MODEL.includes(m.status) ? m.status : 'unknown';
  const pct = m.successRate === null || m.successRate === undefined ? '—' : Math.round(m.successRate * 100) + ' %';
  const error = m.error ? [m.error.code, m.error.message].filter(Boolean).join(': ') : null;
  // A disabled model is never checked: say so rather than show it as an unexplained "unknown".
  const label = m.enabled === false ? 'disabled' : status;
  return el('article', { class: 'card' + (m.enabled === false ? ' disabled' : ''), 'data-model': m.name, 'data-status': status },
    el('h3', {}, el('span', { class: 'dot ' + status, title: label, role: 'img', 'aria-label': label }), m.name),
    el('p', { class: 'muted', 'data-role': 'model-state', text: (m.provider || '') + ' · ' + label }),
    el('dl', { class: 'kv' },
      el('dt', { text: 'latency' }), el('dd', { text: ms(m.latencyMs) }),
      el('dt', { text: 'EMA latency' }), el('dd', { text: ms(m.emaLatencyMs) }),
      el('dt', { text: 'success' }), el('dd', { text: pct }),
      el('dt', { text: 'quota left' }), el('dd', { text: m.quotaRemaining ?? '—' }),
      el('dt', { text: 'last check' }), el('dd', { text: time(m.lastCheck) }),
      usageFigures(usage),
      error ? [el('dt', { text: 'error' }), el('dd', { class: 'error', 'data-role': 'model-error', text: error })] : null));
}
const STATUS_OF_MODEL = ['healthy', 'degraded', 'unhealthy', 'unknown'];

// ---- task view (#task=<id>) ------------------------------------------------------------------------------------
// One task in full: its posts as the platform shows them (cards fetched from the images endpoint), each step with
// model, duration, attempts and error, its runs, and each step's checkpoint as collapsible JSON. Kept to these
// functions and the #task-view panel; the task card only links here (taskViewHref).

const taskView = { id: null, sig: null, resultSig: null, images: new Map() }; // images: API url -> object URL

function taskViewHref(taskId) { return '#task=' + encodeURIComponent(taskId); }

function taskIdFromHash() {
  const m = /^#task=([^&]+)$/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : null;
}

function onTaskRoute() {
  const id = taskIdFromHash();
  if (id !== taskView.id) {
    for (const url of taskView.images.values()) URL.revokeObjectURL(url);
    Object.assign(taskView, { id, sig: null, resultSig: null, images: new Map() });
  }
  $('task-view').hidden = !id;
  if (!id) return;
  replace($('task-view-body'), el('p', { class: 'muted', text: 'loading task ' + id + '…' }));
  refreshTaskView();
  $('task-view').scrollIntoView({ block: 'start' });
}

/** Re-draws only what changed, so open <details> and loaded images stay as they are while polling. */
async function refreshTaskView() {
  const id = taskView.id;
  if (!id) return;
  const [t, c] = await Promise.all([
    api('GET', 'tasks/' + encodeURIComponent(id)), api('GET', 'tasks/' + encodeURIComponent(id) + '/checkpoint')]);
  const all = await pipelinesInfo();
  if (id !== taskView.id) return;
  if (!t.ok) {
    taskView.sig = null;
    replace($('task-view-body'), el('p', { class: 'message error', 'data-role': 'task-view-error', text: t.message }));
    return;
  }
  const sig = JSON.stringify([t.data, c.ok ? c.data : c.message]);
  if (sig === taskView.sig) return;
  taskView.sig = sig;
  const open = new Set(Array.from($('task-view-body').querySelectorAll('details[open]')).map(d => d.dataset.step));
  const info = all[t.data.pipeline];
  const kind = info && RESULT_VIEWS[info.resultKind] ? info.resultKind : 'json';
  const result = el('div', { id: 'task-result', class: ('result ' + RESULT_VIEWS[kind].layout).trim(), 'data-kind': kind });
  replace($('task-view-body'),
    taskSummary(t.data),
    reviewSection(t.data, c, kind),
    editHistory(t.data, c),
    el('h3', { text: RESULT_VIEWS[kind].title }), result,
    el('h3', { text: 'Steps' }), stepsTable(t.data), usageLine(t.data),
    el('h3', { text: 'Runs' }), runsTable(t.data),
    regenerateForm(t.data),
    el('h3', { text: 'Checkpoints' }), checkpointList(t.data, c, open));
  taskView.resultSig = null;
  renderResult(t.data, result, RESULT_VIEWS[kind]);
}

function taskSummary(task) {
  const note = task.input && task.input.note;
  return el('div', { class: 'task-head' },
    el('span', { class: 'badge ' + task.status, 'data-role': 'task-view-status', text: task.status }),
    note ? el('span', { class: 'note', text: note }) : null,
    el('span', { class: 'task-id', text: task.taskId }),
    el('span', { class: 'muted', text: (task.pipeline || '') + ' · created ' + time(task.createdAt) + ' · updated ' + time(task.updatedAt) }),
    task.error ? el('p', { class: 'error', 'data-role': 'task-view-task-error' },
      (task.error.step || 'task') + ' failed: ' + (task.error.type ? task.error.type + ': ' : ''), task.error.message || '') : null);
}

// How a succeeded task's result is drawn, chosen by its pipeline's resultKind (GET /api/pipelines): kinds of
// result, not pipelines. A kind this page does not know is shown as JSON.
const RESULT_VIEWS = {
  posts: { title: 'Posts', waiting: 'The posts appear', draw: drawPosts, layout: 'posts' }, // layout: the container's class
  report: { title: 'Report', waiting: 'The report appears', draw: drawReport, layout: '' },
  json: { title: 'Result', waiting: 'The result appears', draw: drawJson, layout: '' },
};

async function renderResult(task, container, view) {
  if (task.status !== 'succeeded') {
    replace(container, el('p', { class: 'muted', text: view.waiting + ' here once the task has succeeded (it is ' + task.status + ').' }));
    return;
  }
  const r = await api('GET', 'tasks/' + encodeURIComponent(task.taskId) + '/result');
  if (!r.ok) {
    replace(container, el('p', { class: 'message error', text: 'result unavailable: ' + r.message }));
    return;
  }
  view.draw(r.data, container);
}

/** Any result: its JSON, indented, as text. */
function drawJson(result, container) {
  replace(container, el('pre', { class: 'json', 'data-role': 'result-json', text: JSON.stringify(result, null, 2) }));
}

function drawPosts(result, container) {
  const posts = (result && result.posts) || [];
  replace(container, posts.length ? posts.map(postCard) : el('p', { class: 'muted', text: 'This task made no posts.' }));
}

/** A post laid out as the platform shows a note: the card image(s), the title, the body as plain text, the tags. */
function postCard(post) {
  const images = post.images || [];
  return el('article', { class: 'post', 'data-role': 'post' },
    el('div', { class: 'post-images' }, images.map((url, i) => {
      const img = el('img', { alt: 'card ' + (i + 1) + ' of ' + post.title, 'data-role': 'card', width: 270, height: 360 });
      loadImage(img, url);
      return img;
    })),
    el('h4', { class: 'post-title', 'data-role': 'post-title', text: post.title }),
    el('p', { class: 'post-body', 'data-role': 'post-body', text: post.body }),
    el('p', { class: 'post-tags', 'data-role': 'post-tags' }, (post.tags || []).map(tag => el('span', { class: 'tag', text: '#' + tag }))),
    el('p', { class: 'muted', 'data-role': 'post-model' },
      'model ' + (post.model || '—') + (post.modelReason ? ' (' + post.modelReason + ')' : '') + ' · ',
      post.sourceUrl ? el('a', { href: safeUrl(post.sourceUrl), rel: 'noopener noreferrer', target: '_blank', text: 'source' }) : 'no source'));
}

/**
 * A result of kind report: its title, each section's text (Markdown source, shown as plain text) with the papers
 * it cites, and links to the delivered Markdown and HTML (fetched with the bearer token when the API needs one).
 */
function drawReport(report, container) {
  const file = (url, label, role) => {
    const a = el('a', { href: url.replace(/^\/api\//, 'api/'), 'data-role': role, rel: 'noopener noreferrer', target: '_blank', text: label });
    a.addEventListener('click', e => { if (token()) { e.preventDefault(); openWithToken(url); } });
    return a;
  };
  replace(container, el('article', { class: 'report', 'data-role': 'report' },
    el('h4', { class: 'report-title', 'data-role': 'report-title', text: report.title }),
    el('p', { class: 'muted' }, (report.language || '') + ' · model ' + (report.model || '—') + ' · ',
      file(report.markdownUrl, 'Markdown', 'report-markdown'), ' · ', file(report.htmlUrl, 'HTML', 'report-html')),
    (report.sections || []).map(section => el('section', { class: 'report-section', 'data-role': 'report-section' },
      el('h5', { text: section.heading }),
      el('p', { class: 'post-body', text: section.text }),
      (section.citations || []).length ? el('ol', { class: 'citations', 'data-role': 'citations' }, section.citations.map(c =>
        el('li', { value: c.n }, el('a', { href: safeUrl(c.url), rel: 'noopener noreferrer', target: '_blank', text: c.title })))) : null))));
}

/** Opens an API file in a new tab when the API needs the bearer token (a plain link cannot send it). */
async function openWithToken(url) {
  const response = await fetch(url.replace(/^\/api\//, 'api/'), { headers: { Authorization: 'Bearer ' + token() } });
  if (response.ok) window.open(URL.createObjectURL(await response.blob()), '_blank', 'noopener');
}

/** Only http(s) links leave the page; anything else (javascript:, data:) is shown as nothing to click. */
function safeUrl(url) { return /^https?:\/\//i.test(url) ? url : '#'; }

/**
 * An image comes through fetch, so it carries the bearer token when the API needs one (an <img src> cannot), and
 * is shown from an object URL (the page's CSP allows img-src blob:).
 */
async function loadImage(img, url) {
  let objectUrl = taskView.images.get(url);
  if (!objectUrl) {
    const headers = {};
    const jwt = token();
    if (jwt) headers.Authorization = 'Bearer ' + jwt;
    try {
      const response = await fetch(url.replace(/^\/api\//, 'api/'), { headers });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      objectUrl = URL.createObjectURL(await response.blob());
      taskView.images.set(url, objectUrl);
    } catch (e) {
      img.replaceWith(el('p', { class: 'message error', text: 'image unavailable: ' + e.message }));
      return;
    }
  }
  img.setAttribute('src', objectUrl);
}

function stepsTable(task) {
  const head = ['step', 'status', 'model', 'duration', 'attempts', 'cost', 'started', 'error'];
  return el('table', { class: 'task-steps', 'data-role': 'task-steps' },
    el('thead', {}, el('tr', {}, head.map(h => el('th', { text: h })))),
    el('tbody', {}, (task.steps || []).map(s => el('tr', { 'data-step': s.name, 'data-status': s.status },
      el('td', { 'data-role': 'step-label' }, stepLabel(task.pipeline, s.name), ' ', el('small', { class: 'muted', text: s.name })),
      el('td', {}, el('span', { class: 'badge ' + s.status, text: s.status })),
      el('td', { 'data-role': 'step-model', text: s.model || '—' }),
      el('td', { 'data-role': 'step-duration', text: ms(s.durationMs) }),
      el('td', { 'data-role': 'step-attempts', text: s.attempts + (s.executions && s.executions !== s.attempts ? ' (' + s.executions + ' runs)' : '') }),
      el('td', { 'data-role': 'step-cost', text: s.usage && s.usage.calls ? usd(s.usage.costUsd) : '—' }),
      el('td', { text: time(s.startedAt) }),
      el('td', { class: s.error ? 'error' : '', 'data-role': 'step-error',
        text: s.error ? (s.error.type ? s.error.type + ': ' : '') + (s.error.message || '') : '' })))));
}

/** USD as a short figure: cents to four places, the tiny sums of small tasks to six. */
function usd(v) { return '$' + (v && v < 0.01 ? v.toFixed(6) : (v || 0).toFixed(4)); }

/** What the task's model calls cost over all its runs, and what reusing kept results saved. */
function usageLine(task) {
  const u = task.usage || {};
  return el('p', { class: 'muted', 'data-role': 'task-usage' },
    (u.calls || 0) + ' model calls · ' + (u.inputTokens || 0) + ' tokens in, ' + (u.outputTokens || 0) + ' out'
      + (u.estimatedCalls ? ' (' + u.estimatedCalls + ' estimated)' : '') + ' · cost ' + usd(u.costUsd)
      + ' · saved by reuse ' + usd(task.savedUsd));
}

/** Each run: the first, a retry or rerun from a step, and how often Step Functions redrove it. */
function runsTable(task) {
  const runs = task.runs || [];
  return el('table', { class: 'task-runs', 'data-role': 'task-runs' },
    el('thead', {}, el('tr', {}, ['run', 'kind', 'from step', 'status', 'redrives', 'execution'].map(h => el('th', { text: h })))),
    el('tbody', {}, runs.map((r, i) => el('tr', { 'data-run': r.runId },
      el('td', { text: r.runId }),
      el('td', { text: i === 0 ? 'first run' : r.overrides ? 'rerun, changed ' + Object.keys(r.overrides).join(', ') : 'retry' }),
      el('td', { text: r.startAt || '—' }),
      el('td', {}, el('span', { class: 'badge ' + r.status, text: r.status })),
      el('td', { text: r.redriveCount || 0 }),
      el('td', { class: 'task-id', text: r.executionArn ? r.executionArn.split(':').pop() : '—' })))));
}

function checkpointList(task, c, open) {
  if (!c.ok) return el('p', { class: 'message error', text: 'checkpoints unavailable: ' + c.message });
  return el('div', { class: 'checkpoints', 'data-role': 'checkpoints' }, Object.entries(c.data.steps || {}).map(([name, cp]) =>
    el('details', { 'data-step': name, open: open.has(name) },
      el('summary', {}, name + ' · ' + cp.status + (cp.runId ? ' · ' + cp.runId : '') + (cp.expiresAt ? ' · kept until ' + time(cp.expiresAt) : '')
        + (cp.edits && cp.edits.length ? ' · edited ' + cp.edits.length + '×' : '')),
      cp.output === null || cp.output === undefined
        ? el('p', { class: 'muted', text: 'no checkpoint kept' })
        : el('pre', { class: 'json', text: JSON.stringify(cp.output, null, 2) }))));
}

// ---- review: a person in the loop -------------------------------------------------------------------------------
// A task started with review stops at awaiting_review, its review {step, since, expiresAt} naming the step whose
// output waits. The task view shows that output as it will go out, editable in place (PUT .../steps/{step}/output;
// the API's 422 names every broken rule and is shown as it says), and Approve / Reject with a comment. The counters
// only help while typing: the API decides. The queue (GET /api/reviews) lists what waits, oldest first.

/** The limits a platform sets on a post, by the payload's platform field; an unknown platform shows plain counts. */
const PLATFORM_LIMITS = { rednote: { title: 20, body: 1000, tags: 10 } };

const graphemeSegmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

/** Characters as a reader counts them: an emoji with its modifiers, a flag, a letter with its accents is one. */
function graphemes(text) {
  if (!graphemeSegmenter) return Array.from(text).length; // code points: close, and only a hint
  let n = 0;
  for (const _ of graphemeSegmenter.segment(text)) n++; // eslint-disable-line no-unused-vars
  return n;
}

/**
 * Where the page can fetch a card a payload names: an API path as is; a blob store's URI (file:, s3:), which the
 * page may not fetch, through the task's images endpoint by its file name (a card it does not serve shows as
 * unavailable).
 */
function cardUrl(taskId, url) {
  if (/^\/api\//.test(url)) return url;
  const name = decodeURIComponent(String(url).split(/[?#]/)[0].split('/').pop() || '');
  return '/api/tasks/' + encodeURIComponent(taskId) + '/images/' + encodeURIComponent(name);
}

function splitTags(text) { return text.split(',').map(t => t.trim()).filter(Boolean); }

// The open task's review box is kept while its task, its review and the output under review stay the same, so a
// poll never replaces what is being typed. notice: what the last save or decision said, kept across rebuilds.
const reviewUi = { taskId: null, sig: null, node: null, notice: null };

function reviewSection(task, c, kind) {
  const rv = task.review;
  if (!rv) return null;
  const waiting = task.status === 'awaiting_review';
  const cp = c.ok && c.data.steps ? c.data.steps[rv.step] : null;
  const sig = JSON.stringify([task.taskId, task.status, rv, cp, kind]);
  if (reviewUi.taskId !== task.taskId) reviewUi.notice = null;
  else if (reviewUi.sig === sig && reviewUi.node) return reviewUi.node;
  const notice = el('div', { class: 'message', 'data-role': 'review-message', role: 'status' });
  const box = el('section', { class: 'review-box', id: 'review-box', 'data-state': waiting ? 'open' : rv.decision || 'closed' },
    el('h3', { text: waiting ? 'Awaiting your review' : 'Review' }),
    el('p', { class: 'muted', 'data-role': 'review-when' },
      stepLabel(task.pipeline, rv.step) + ' · waiting since ' + time(rv.since) + (waiting ? ' · decide by ' + time(rv.expiresAt) : '')),
    rv.decision ? decisionLine(rv) : null);
  if (waiting) {
    const editor = !cp || cp.output === null || cp.output === undefined
      ? null
      : kind === 'posts' ? postsEditor(task.taskId, cp.output) : kind === 'report' ? reportEditor(cp.output) : jsonEditor(cp.output);
    if (editor) box.append(editForm(task, rv.step, editor, notice));
    else box.append(el('p', { class: 'message error', text: 'the output under review is unavailable' + (c.ok ? '' : ': ' + c.message) }));
    box.append(decideForm(task, editor, notice));
  }
  box.append(notice);
  Object.assign(reviewUi, { taskId: task.taskId, sig, node: box });
  showReviewNotice(notice);
  return box;
}

function decisionLine(rv) {
  const approved = rv.decision === 'approve';
  return el('p', { class: 'decision ' + (approved ? 'ok' : 'error'), 'data-role': 'review-decision' },
    el('strong', { text: approved ? 'Approved' : 'Rejected' }),
    (rv.decidedBy ? ' by ' + rv.decidedBy : '') + ' · ' + time(rv.decidedAt),
    rv.comment ? el('span', { class: 'comment', 'data-role': 'review-comment-shown', text: ' “' + rv.comment + '”' }) : null);
}

function showReviewNotice(node) {
  const n = reviewUi.notice;
  node.className = 'message ' + (n ? n.kind : '');
  replace(node, n ? [el('div', { text: n.text }),
    n.lines && n.lines.length ? el('ul', { class: 'violations', 'data-role': 'violations' }, n.lines.map(v => el('li', { text: v }))) : null] : []);
}

/** A live count beside an input: n/limit, marked when over the limit. */
function counter(input, limit, count, role, what) {
  const node = el('span', { class: 'counter', 'data-role': role, 'aria-live': 'polite' });
  const update = () => {
    const n = count(input.value);
    const over = limit !== undefined && n > limit;
    node.textContent = limit !== undefined ? n + '/' + limit : String(n);
    node.title = n + ' ' + what + (limit !== undefined ? '; at most ' + limit : '');
    node.classList.toggle('over', over);
    input.setAttribute('aria-invalid', over ? 'true' : 'false');
  };
  input.addEventListener('input', update);
  update();
  return node;
}

/** An editor: its node, the whole output it describes now (throws a message), and whether anything changed. */
function postsEditor(taskId, output) {
  const limits = PLATFORM_LIMITS[output.platform] || {};
  const posts = Array.isArray(output.posts) ? output.posts : [];
  const inputs = posts.map((post, i) => {
    const title = el('input', { type: 'text', 'data-role': 'edit-title', value: post.title || '', 'aria-label': 'title of post ' + (i + 1) });
    const body = el('textarea', { 'data-role': 'edit-body', rows: 9, 'aria-label': 'text of post ' + (i + 1) });
    body.value = post.body || '';
    const tags = el('input', { type: 'text', 'data-role': 'edit-tags', value: (post.tags || []).join(', '), 'aria-label': 'tags of post ' + (i + 1) });
    const node = el('article', { class: 'post post-edit', 'data-role': 'post-edit', 'data-index': i },
      el('div', { class: 'post-images' }, (post.images || []).map((url, k) => {
        const img = el('img', { alt: 'card ' + (k + 1) + ' of post ' + (i + 1), 'data-role': 'card', width: 135, height: 180 });
        loadImage(img, cardUrl(taskId, url));
        return img;
      })),
      el('label', { class: 'edit-field' }, el('span', { class: 'field-name', text: 'Title' }),
        counter(title, limits.title, v => graphemes(v.trim()), 'title-count', 'characters'), title),
      el('label', { class: 'edit-field' }, el('span', { class: 'field-name', text: 'Text' }),
        counter(body, limits.body, graphemes, 'body-count', 'characters'), body),
      el('label', { class: 'edit-field' }, el('span', { class: 'field-name', text: 'Tags, comma-separated' }),
        counter(tags, limits.tags, v => splitTags(v).length, 'tags-count', 'tags'), tags),
      el('p', { class: 'muted', text: (post.images || []).length + ' card(s)' + (post.postKey ? ' · ' + post.postKey : '') }));
    return { node, title, body, tags, post };
  });
  return {
    node: el('div', { class: 'result posts', 'data-role': 'edit-posts' }, inputs.map(x => x.node)),
    fields: inputs.flatMap(x => [x.title, x.body, x.tags]),
    read() {
      const copy = JSON.parse(JSON.stringify(output));
      inputs.forEach((x, i) => Object.assign(copy.posts[i], { title: x.title.value, body: x.body.value, tags: splitTags(x.tags.value) }));
      return copy;
    },
    dirty() {
      return inputs.some(x => x.title.value !== (x.post.title || '') || x.body.value !== (x.post.body || '')
        || splitTags(x.tags.value).join('\n') !== (x.post.tags || []).join('\n'));
    },
  };
}

function reportEditor(output) {
  const markdown = el('textarea', { class: 'markdown-edit', 'data-role': 'edit-markdown', rows: 18, 'aria-label': 'the report in Markdown' });
  markdown.value = output.markdown || '';
  const sections = v => v.split('\n').filter(line => line.startsWith('## ')).length;
  return {
    node: el('label', { class: 'edit-field' },
      el('span', { class: 'field-name', text: 'Report (Markdown; each ## section needs text under it)' }),
      counter(markdown, undefined, graphemes, 'markdown-count', 'characters'),
      counter(markdown, undefined, sections, 'sections-count', 'sections'), markdown),
    fields: [markdown],
    read() { return { ...output, markdown: markdown.value, chars: Array.from(markdown.value).length }; },
    dirty() { return markdown.value !== (output.markdown || ''); },
  };
}

/** Any other output: its JSON, edited as text. */
function jsonEditor(output) {
  const text = JSON.stringify(output, null, 2);
  const area = el('textarea', { class: 'json-edit', 'data-role': 'edit-json', rows: 16, 'aria-label': 'the output as JSON' });
  area.value = text;
  return {
    node: area,
    fields: [area],
    read() {
      try { return JSON.parse(area.value); } catch (e) { throw new Error('the output must be JSON: ' + e.message); }
    },
    dirty() { return area.value !== text; },
  };
}

function editForm(task, step, editor, notice) {
  const save = el('button', { type: 'button', class: 'primary', 'data-action': 'save-edit', text: 'Save edit', disabled: true });
  const undo = el('button', { type: 'button', 'data-action': 'undo-edit', text: 'Undo changes', disabled: true });
  const changed = () => { save.disabled = !editor.dirty(); undo.disabled = save.disabled; };
  editor.fields.forEach(f => f.addEventListener('input', changed));
  undo.addEventListener('click', () => { reviewUi.sig = null; reviewUi.notice = null; taskView.sig = null; refreshTaskView(); });
  save.addEventListener('click', async () => {
    let output;
    try { output = editor.read(); } catch (e) { reviewUi.notice = { kind: 'error', text: e.message }; showReviewNotice(notice); return; }
    save.disabled = true;
    const path = 'tasks/' + encodeURIComponent(task.taskId) + '/steps/' + encodeURIComponent(step) + '/output';
    const r = await api('PUT', path, output);
    if (r.ok) {
      const last = (r.data.edits || []).slice(-1)[0];
      reviewUi.notice = { kind: 'ok', text: 'Saved' + (last && last.by ? ' by ' + last.by : '') + (last ? ' at ' + time(last.at) : '')
        + ': approving sends this version.' };
      refreshTaskView();
    } else {
      const lines = r.data && Array.isArray(r.data.violations) ? r.data.violations : [];
      reviewUi.notice = { kind: 'error', lines,
        text: r.status === 422 ? 'Not saved: ' + (lines.length === 1 ? 'one rule is' : lines.length + ' rules are') + ' broken' : r.message };
      changed();
    }
    showReviewNotice(notice);
  });
  return el('div', { class: 'edit-form', 'data-role': 'edit-form' }, editor.node, el('div', { class: 'actions' }, save, undo));
}

function decideForm(task, editor, notice) {
  const comment = el('textarea', { 'data-role': 'decision-comment', rows: 2, maxlength: 2000,
    placeholder: 'Comment (optional): why, or what you changed', 'aria-label': 'comment on the decision' });
  const decide = async (decision, buttons) => {
    if (decision === 'approve' && editor && editor.dirty()) {
      reviewUi.notice = { kind: 'error', text: 'Save or undo your changes first: approving sends what is saved.' };
      showReviewNotice(notice);
      return;
    }
    buttons.forEach(b => { b.disabled = true; });
    const body = { decision };
    if (comment.value.trim()) body.comment = comment.value.trim();
    const r = await api('POST', 'tasks/' + encodeURIComponent(task.taskId) + '/review', body);
    reviewUi.notice = r.ok
      ? { kind: 'ok', text: decision === 'approve' ? 'Approved: the task goes on.' : 'Rejected: nothing goes out.' }
      : { kind: 'error', text: r.message };
    if (!r.ok) buttons.forEach(b => { b.disabled = false; });
    showReviewNotice(notice);
    refreshTaskView(); refreshReviews(); refreshTasks(); refreshCounts();
  };
  const approve = el('button', { type: 'button', class: 'primary', 'data-action': 'approve', text: 'Approve' });
  const reject = el('button', { type: 'button', class: 'danger', 'data-action': 'reject', text: 'Reject' });
  approve.addEventListener('click', () => decide('approve', [approve, reject]));
  reject.addEventListener('click', () => decide('reject', [approve, reject]));
  return el('div', { class: 'decide', 'data-role': 'decide' },
    el('label', { class: 'edit-field' }, el('span', { class: 'field-name', text: 'Decision' }), comment),
    el('div', { class: 'actions' }, approve, reject));
}

/** Who replaced a step's output and when (the output its run wrote stays readable under ?run=). */
function editHistory(task, c) {
  if (!c.ok) return null;
  const edits = Object.entries(c.data.steps || {}).flatMap(([step, cp]) => (cp.edits || []).map(e => ({ step, runId: cp.runId, ...e })));
  if (!edits.length) return null;
  edits.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return el('div', { 'data-role': 'edit-history' }, el('h3', { text: 'Edits' }),
    el('ul', { class: 'plain edits' }, edits.map(e => el('li', { 'data-step': e.step },
      el('strong', { text: stepLabel(task.pipeline, e.step) }),
      ' edited by ' + (e.by || 'someone (no sign-in)') + ' · ' + time(e.at) + ' · the original stays under run ' + (e.runId || '—')))));
}

// ---- review queue -------------------------------------------------------------------------------------------------

let queueSig = null;
async function refreshReviews() {
  const r = await api('GET', 'reviews?limit=20');
  if (!r.ok) {
    queueSig = null;
    $('reviews-count').textContent = '';
    replace($('reviews'), el('p', { class: 'message error', text: 'reviews unavailable: ' + r.message }));
    return;
  }
  const sig = JSON.stringify(r.data) + '|' + !!pipelineInfo;
  if (sig === queueSig) return;
  queueSig = sig;
  const items = r.data.items || [];
  $('reviews-count').textContent = items.length + (r.data.nextCursor ? '+' : '') + ' awaiting';
  $('reviews-panel').dataset.count = String(items.length);
  replace($('reviews'), items.length
    ? el('ul', { class: 'plain queue', 'data-role': 'queue' }, items.map(queueItem))
    : el('p', { class: 'empty', text: 'Nothing awaits review.' }));
}

function queueItem(task) {
  const rv = task.review || {};
  const note = task.input && task.input.note;
  return el('li', { class: 'queue-item', 'data-task-id': task.taskId },
    el('a', { class: 'task-id', href: taskViewHref(task.taskId), title: 'open task ' + task.taskId, text: task.taskId.slice(0, 8) }),
    el('span', { class: 'pipeline', text: task.pipeline || '' }),
    note ? el('span', { class: 'note', text: note }) : null,
    el('span', { 'data-role': 'queue-step', text: stepLabel(task.pipeline, rv.step) }),
    el('span', { class: 'muted', text: 'since ' + time(rv.since) + ' · decide by ' + time(rv.expiresAt) }),
    el('a', { class: 'button-link', href: taskViewHref(task.taskId), 'data-action': 'open-review', text: 'Review' }));
}

// ---- regenerate (rerun from a step with changed input) ----------------------------------------------------------
// A finished task runs again from a chosen step; the fields that step and later ones read may change (the pipeline
// says which step reads each field: GET /api/pipelines readBy). Only changed fields are sent as overrides.

// What the page knows of each installed pipeline, all from GET /api/pipelines: the page names none itself.
let pipelineInfo = null; // name -> {steps:[name], labels:{step: label}, readBy:{field: step|null}, inputSchema, resultKind, isDefault}
let pipelinesProblem = null;
let pipelinesLoading = null;
function pipelinesInfo() {
  if (pipelineInfo) return Promise.resolve(pipelineInfo);
  if (!pipelinesLoading) {
    pipelinesLoading = api('GET', 'pipelines').then(r => {
      pipelinesLoading = null;
      if (!r.ok) {
        pipelinesProblem = r.message;
        return {};
      }
      pipelineInfo = {};
      for (const p of r.data) {
        pipelineInfo[p.name] = {
          steps: p.steps.map(s => s.name), labels: Object.fromEntries(p.steps.map(s => [s.name, s.label || s.name])),
          readBy: p.readBy || {}, inputSchema: p.inputSchema || {}, resultKind: p.resultKind || 'json', isDefault: !!p.default,
          review: p.review || null,
        };
      }
      return pipelineInfo;
    });
  }
  return pipelinesLoading;
}

/** A step's label as its pipeline gives it (its wire name until the pipelines have loaded). */
function stepLabel(pipeline, step) {
  const info = pipelineInfo && pipelineInfo[pipeline];
  return (info && info.labels[step]) || step;
}

/** The fields a rerun from {@code step} may change: read by that step, a later one, or none. */
function overridable(info, step) {
  const at = info.steps.indexOf(step);
  return Object.entries(info.readBy).filter(([, reader]) => reader === null || info.steps.indexOf(reader) >= at).map(([f]) => f);
}

// what the last regenerate said, kept across the view's re-renders (the rerun changes the task at once)
let regenNotice = null; // {taskId, text, kind}

function regenMessage(task) {
  const notice = regenNotice && regenNotice.taskId === task.taskId ? regenNotice : null;
  return el('p', { class: 'message ' + (notice ? notice.kind : ''), id: 'regen-message', role: 'status', text: notice ? notice.text : '' });
}

function regenerateForm(task) {
  const box = el('div', { class: 'regenerate', 'data-role': 'regenerate' });
  if (['pending', 'running'].includes(task.status)) {
    box.append(el('p', { class: 'muted', text: 'Regenerate once the task has finished.' }), regenMessage(task));
    return box;
  }
  pipelinesInfo().then(all => fillRegenerate(box, task, all[task.pipeline]));
  return box;
}

function fillRegenerate(box, task, info) {
  if (!info) return;
  const select = el('select', { id: 'regen-step', 'aria-label': 'step to regenerate from' },
    info.steps.map(s => el('option', { value: s, text: s, selected: s === (info.steps[1] || info.steps[0]) })));
  const fields = el('div', { class: 'regen-fields', id: 'regen-fields' });
  const message = regenMessage(task);
  const button = el('button', { type: 'button', class: 'primary', id: 'regen-go' });
  const draw = () => {
    const step = select.value;
    button.textContent = 'Regenerate from ' + step;
    replace(fields, overridable(info, step).map(f => {
      const value = task.input ? task.input[f] : undefined;
      const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
      return el('label', {}, f + ' ', el('input', { type: 'text', 'data-field': f, 'data-original': text, value: text,
        'data-json': typeof value === 'object' && value !== null ? 'yes' : typeof value === 'number' ? 'number' : null }));
    }));
  };
  select.addEventListener('change', draw);
  button.addEventListener('click', async () => {
    const overrides = {};
    for (const input of fields.querySelectorAll('input[data-field]')) {
      if (input.value === input.dataset.original) continue;
      const kind = input.dataset.json;
      try {
        overrides[input.dataset.field] = kind === 'yes' ? JSON.parse(input.value) : kind === 'number' ? Number(input.value) : input.value;
      } catch (e) {
        regenNotice = { taskId: task.taskId, kind: 'error', text: input.dataset.field + ' must be JSON' };
        message.textContent = regenNotice.text;
        message.className = 'message error';
        return;
      }
    }
    const body = Object.keys(overrides).length ? { overrides } : undefined;
    const r = await api('POST', 'tasks/' + encodeURIComponent(task.taskId) + '/retry/' + encodeURIComponent(select.value), body);
    regenNotice = { taskId: task.taskId, kind: r.ok ? 'ok' : 'error',
      text: r.ok ? 'regenerating from ' + select.value + (body ? ' with ' + Object.keys(overrides).join(', ') + ' changed' : '') : r.message };
    message.textContent = regenNotice.text;
    message.className = 'message ' + regenNotice.kind;
  });
  draw();
  replace(box, el('h3', { text: 'Regenerate' }), el('div', { class: 'row' }, el('label', {}, 'From ', select), button), fields, message);
}

// ---- bulk recovery -------------------------------------------------------------------------------------------------
// POST /api/tasks/retry with a filter: a dry run first lists what matches, then the same filter retries them.

let recoverFilter = null; // the filter the last preview showed; the confirm button retries exactly that

function recoveryFilter() {
  const f = { status: $('recover-status').value };
  if ($('recover-step').value) f.failedStep = $('recover-step').value;
  if ($('recover-error').value.trim()) f.errorType = $('recover-error').value.trim();
  if ($('recover-batch').value.trim()) f.batchId = $('recover-batch').value.trim();
  for (const [id, key] of [['recover-since', 'since'], ['recover-until', 'until']]) {
    if ($(id).value) f[key] = new Date($(id).value).toISOString();
  }
  return f;
}

async function previewRecovery() {
  recoverFilter = recoveryFilter();
  const r = await api('POST', 'tasks/retry', { filter: recoverFilter, dryRun: true });
  const message = $('recover-message');
  if (!r.ok) {
    recoverFilter = null;
    $('recover-confirm').disabled = true;
    message.textContent = r.message;
    message.className = 'message error';
    replace($('recover-list'));
    return;
  }
  const n = r.data.matched.length;
  message.textContent = n === 0 ? 'no task matches' : n + (n === 1 ? ' task matches' : ' tasks match');
  message.className = 'message';
  $('recover-confirm').disabled = n === 0;
  $('recover-confirm').textContent = 'Retry ' + n + (n === 1 ? ' task' : ' tasks');
  replace($('recover-list'), r.data.matched.map(id => el('li', { 'data-task-id': id }, el('a', { href: taskViewHref(id), text: id.slice(0, 8) }))));
}

async function confirmRecovery() {
  if (!recoverFilter) return;
  $('recover-confirm').disabled = true;
  const r = await api('POST', 'tasks/retry', { filter: recoverFilter });
  recoverFilter = null;
  const message = $('recover-message');
  if (!r.ok) {
    message.textContent = r.message;
    message.className = 'message error';
    return;
  }
  message.textContent = 'retried ' + r.data.retried.length + (r.data.skipped.length ? ', skipped ' + r.data.skipped.length : '');
  message.className = 'message ok';
  replace($('recover-list'), r.data.skipped.map(s => el('li', { 'data-task-id': s.taskId, class: 'error' }, s.taskId.slice(0, 8) + ': ' + s.reason)));
  refreshTasks();
}

async function initRecovery() {
  $('recover-preview').addEventListener('click', previewRecovery);
  $('recover-confirm').addEventListener('click', confirmRecovery);
  const all = await pipelinesInfo();
  const labels = new Map(); // every installed pipeline's steps: the value is the wire name the filter takes
  for (const p of Object.values(all)) p.steps.forEach(s => { if (!labels.has(s)) labels.set(s, p.labels[s]); });
  $('recover-step').append(...[...labels].map(([s, label]) => el('option', { value: s, text: label })));
}

// ---- wiring -------------------------------------------------------------------------------------------------------

let healthTimer = null;
function scheduleHealth() {
  clearInterval(healthTimer);
  if ($('health-auto').checked) healthTimer = setInterval(() => refreshHealth(false), HEALTH_MS);
  localStorage.setItem('stepwise.healthAuto', $('health-auto').checked ? 'on' : 'off');
}

async function init() {
  if (SIGN_IN) {
    $('sign-in').addEventListener('click', signIn);
    $('sign-out').addEventListener('click', signOut);
    const failed = callback ? await completeSignIn() : null;
    const jwt = token();
    if (!jwt) {
      showSignedOut(failed);
      return;
    }
    $('who').textContent = signedInAs(jwt);
    $('who').hidden = false;
    $('sign-out').hidden = false;
  }
  $('status-filter').addEventListener('change', e => { state.status = e.target.value; resetPaging(); });
  $('older').addEventListener('click', () => { if (state.nextCursor) { state.cursors.push(state.nextCursor); refreshTasks(); } });
  $('newer').addEventListener('click', () => { if (state.cursors.length > 1) { state.cursors.pop(); refreshTasks(); } });
  $('start-task').addEventListener('click', startTask);
  $('new-pipeline').addEventListener('change', showStartFields);
  fillPipelines();
  $('start-batch').addEventListener('click', startBatch);
  $('open-batch').addEventListener('click', () => openBatch($('batch-id').value.trim()));
  $('metrics-window').addEventListener('change', refreshMetrics);
  $('health-check').addEventListener('click', () => refreshHealth(true));
  $('health-auto').checked = localStorage.getItem('stepwise.healthAuto') !== 'off';
  $('health-auto').addEventListener('change', scheduleHealth);
  $('confirm-no').addEventListener('click', () => $('confirm').close());
  $('confirm-yes').addEventListener('click', () => {
    $('confirm').close();
    if (pendingRetry) {
      const { taskId, step } = pendingRetry;
      pendingRetry = null;
      act(taskId, 'tasks/' + encodeURIComponent(taskId) + '/retry/' + encodeURIComponent(step), 'retry from ' + step + ' started');
    }
  });

  $('task-view-close').addEventListener('click', e => { e.preventDefault(); history.pushState(null, '', location.pathname + location.search); onTaskRoute(); });
  window.addEventListener('hashchange', onTaskRoute);
  onTaskRoute();
  initRecovery();
  refreshCounts(); refreshTasks(); refreshReviews(); refreshBatch(); refreshMetrics(); refreshHealth(false); refreshAlerts();
  scheduleHealth();
  setInterval(() => { refreshCounts(); refreshTasks(); refreshReviews(); if (state.batchId) refreshBatch(); }, POLL_MS);
  setInterval(refreshTaskView, POLL_MS);
  setInterval(refreshMetrics, METRICS_MS);
  setInterval(refreshAlerts, METRICS_MS);
}

document.addEventListener('DOMContentLoaded', init);
