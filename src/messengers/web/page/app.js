// The playground page: plain JavaScript, nothing to build. Everything from the server is drawn as
// text (textContent, never markup), so a lead named <img onerror=…> is only ever its name.

const params = new URLSearchParams(location.search);
const token = params.get('token') ?? '';
const state = { index: null, person: null, locale: 'en', team: null, replaced: new Map() };
const $ = (id) => document.getElementById(id);

/** An element with attributes, listeners and children; strings become text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'on') for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity))
    if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

function word(key, values = {}) {
  const strings = state.index?.strings[state.locale] ?? {};
  const text = strings[`playground.${key}`] ?? strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? `{${name}}`));
}

async function api(path, body) {
  const headers = token ? { 'x-playground-token': token } : {};
  const init = body
    ? { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }
    : { headers };
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.message || `${response.status} ${response.statusText}`);
  return data;
}

const requestId = () => crypto.randomUUID().replaceAll('-', '');
const asQuery = () => `as=${encodeURIComponent(state.person.key)}&locale=${encodeURIComponent(state.locale)}`;

// ---- Drawing the neutral views ----

function buttons(list, origin) {
  const shown = list.filter(Boolean);
  if (shown.length === 0) return null;
  return el(
    'div',
    { class: 'buttons' },
    shown.map((b) =>
      el(
        'button',
        {
          type: 'button',
          class: b.style ?? (b.actionId === 'lead.claim' ? 'primary' : ''),
          'data-action': b.actionId,
          'data-value': b.value,
          on: { click: (event) => press(b, event.currentTarget, origin) },
        },
        b.label,
      ),
    ),
  );
}

function drawLeadCard(view, origin) {
  return el(
    'article',
    { class: 'card' },
    el('h3', {}, view.title),
    el(
      'dl',
      {},
      view.fields.map((f) => [el('dt', {}, f.label), el('dd', {}, f.value)]),
    ),
    el('p', { class: 'muted' }, view.score.summary),
    view.score.why && el('p', { class: 'muted' }, view.score.why),
    view.notes.map((note) => el('p', { class: 'muted' }, note)),
    view.alert && el('p', { class: 'alert' }, `${view.alert.label} ${view.alert.people.map((p) => p.name).join(', ')}`),
    el('p', { class: 'status' }, view.status),
    buttons([view.claim, view.followUp], origin),
  );
}

function drawBurst(view, origin) {
  return el(
    'article',
    { class: 'burst' },
    el('h3', {}, view.title),
    el('p', { class: 'muted' }, view.intro),
    view.lines.map((line) =>
      el(
        'div',
        { class: 'burst-line', 'data-lead': line.leadId },
        el('strong', {}, line.title),
        el('p', { class: 'muted' }, line.detail),
        line.status && el('p', { class: 'status' }, line.status),
        buttons([line.claim], origin),
      ),
    ),
  );
}

function drawHome(view, origin) {
  return el(
    'div',
    { class: 'home' },
    el('h3', {}, view.title),
    el('p', { class: 'text' }, view.summary),
    view.sections.map((section) =>
      el(
        'div',
        { class: 'home-section' },
        el('h4', {}, section.heading),
        section.items.length === 0 && section.empty && el('p', { class: 'muted' }, section.empty),
        el(
          'ul',
          {},
          section.items.map((item) =>
            el('li', {}, el('p', { class: 'text' }, item.text), buttons(item.buttons, origin)),
          ),
        ),
        section.more && el('p', { class: 'muted' }, section.more),
      ),
    ),
  );
}

function drawCharts(charts) {
  if (!charts) return null;
  const top = Math.max(1, ...charts.funnel.stages.map((s) => s.value));
  return el(
    'div',
    { class: 'chart', role: 'img', 'aria-label': charts.funnel.alt },
    el('h4', {}, charts.funnel.title),
    charts.funnel.stages.map((stage) =>
      el('div', {}, el('meter', { min: 0, max: top, value: stage.value }), ` ${stage.label}: ${stage.value}`),
    ),
    el('h4', {}, charts.trend.title),
    el(
      'table',
      { 'aria-label': charts.trend.alt },
      el(
        'tr',
        {},
        el('th', {}, ''),
        charts.trend.days.map((day) => el('th', {}, day)),
      ),
      charts.trend.series.map((series) =>
        el(
          'tr',
          {},
          el('th', {}, series.name),
          series.values.map((v) => el('td', {}, String(v))),
        ),
      ),
    ),
  );
}

function drawMessage(message, origin) {
  switch (message.kind) {
    case 'text':
      return [el('p', { class: 'text' }, message.text), buttons(message.buttons, origin)];
    case 'duplicate_question':
      return [
        el('h3', {}, message.view.title),
        el('p', { class: 'text' }, message.view.text),
        buttons(message.view.buttons, origin),
      ];
    case 'digest':
      return [drawHome(message.digest.view, origin), drawCharts(message.digest.charts)];
    default:
      return null;
  }
}

// ---- Answers, forms and views ----

function say(tone, ...content) {
  const close = el('button', { type: 'button', class: 'close', 'aria-label': word('close') }, '×');
  const note = el('div', { class: `answer ${tone}`, role: tone === 'error' ? 'alert' : 'status' }, close, ...content);
  close.addEventListener('click', () => note.remove());
  $('answers').prepend(note);
  while ($('answers').children.length > 5) $('answers').lastElementChild.remove();
}

const textOf = (...parts) => el('p', { class: 'text' }, parts.filter(Boolean).join('\n'));

function show(answer, origin) {
  // What the person did may change their own desk: read it now (others' desks follow by events).
  if (answer.kind !== 'form') refresh('desk');
  switch (answer.kind) {
    case 'notice':
      say(answer.tone, textOf(answer.title, answer.text));
      break;
    case 'replace':
      if (origin?.dataset.message) state.replaced.set(origin.dataset.message, `${answer.title}\n${answer.text}`);
      if (origin) origin.replaceChildren(el('p', { class: 'text replaced' }, answer.title, '\n', answer.text));
      else say('success', textOf(answer.title, answer.text));
      break;
    case 'card':
      if (answer.text) say('success', textOf(answer.text));
      drawAnswered(answer);
      break;
    case 'form':
      openForm(answer.form);
      break;
    case 'view':
      openDialog(el('h3', {}, answer.title), el('pre', { class: 'text' }, answer.text), drawCharts(answer.charts));
      break;
    case 'file': {
      const href = URL.createObjectURL(new Blob([answer.content], { type: 'text/csv;charset=utf-8' }));
      const link = el('a', { href, download: answer.filename }, word('download', { file: answer.filename }));
      say('success', textOf(answer.text), link);
      break;
    }
    default:
      break;
  }
}

/** The clicked lead's message, drawn as the answer shows it; the channel is read again when it is not in view. */
function drawAnswered({ leadId, card }) {
  const item = $('channel').querySelector(`[data-message="lead-${leadId}"], [data-lead="${leadId}"]`)?.closest('li');
  if (!item || !card) return refresh('channel');
  item.dataset.shows = JSON.stringify(card);
  item.replaceChildren(card.kind === 'card' ? drawLeadCard(card.view, item) : drawBurst(card.view, item));
}

function openDialog(...content) {
  const close = el('button', { type: 'button', on: { click: () => $('dialog').close() } }, word('close'));
  $('dialog-body').replaceChildren(...content.filter(Boolean), el('div', { class: 'buttons' }, close));
  if (!$('dialog').open) $('dialog').showModal();
}

function inputFor(field) {
  const attrs = { id: `field-${field.id}`, name: field.id, required: !field.optional };
  if (field.kind === 'long_text') return el('textarea', attrs, field.initial ?? '');
  if (field.kind === 'select') {
    const select = el(
      'select',
      attrs,
      field.optional && el('option', { value: '' }, ''),
      (field.options ?? []).map((o) => el('option', { value: o.value }, o.label)),
    );
    if (field.initial) select.value = field.initial;
    return select;
  }
  return el('input', { ...attrs, value: field.initial ?? '' });
}

function openForm(form) {
  const fields = form.fields.map((field) => [
    el('label', { for: `field-${field.id}` }, field.label),
    inputFor(field),
    form.errors[field.id] && el('p', { class: 'field-error', 'data-error-for': field.id }, form.errors[field.id]),
  ]);
  const submit = el('button', { type: 'submit', class: 'primary' }, form.submit);
  const cancel = el('button', { type: 'button', on: { click: () => $('dialog').close() } }, form.close);
  const element = el(
    'form',
    { 'data-form': form.submitId },
    el('h3', {}, form.title),
    form.about && el('p', { class: 'muted' }, form.about),
    fields,
    el('div', { class: 'buttons' }, submit, cancel),
  );
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    const values = Object.fromEntries(new FormData(element).entries());
    const carries = form.carries;
    const subject = 'lead' in carries ? { lead: String(carries.lead) } : carries.team ? { team: carries.team } : {};
    try {
      const answer = await click({ interaction: form.submitId, subject, form: values });
      if (answer.kind === 'form') return openForm(answer.form);
      $('dialog').close();
      show(answer);
    } catch (error) {
      say('error', textOf(error.message));
    } finally {
      submit.disabled = false;
    }
  });
  $('dialog-body').replaceChildren(element);
  if (!$('dialog').open) $('dialog').showModal();
}

function click(body) {
  return api('/playground/api/click', { as: state.person.key, locale: state.locale, requestId: requestId(), ...body });
}

async function press(button, node, origin) {
  node.disabled = true;
  try {
    const subject = { [button.valueKind ?? 'lead']: button.value };
    const answer = await click({ interaction: button.actionId, subject });
    show(answer, origin);
    // A refusal (someone was quicker) means the lead changed: show it now, not when the event comes.
    if (answer.kind === 'notice' && (button.valueKind ?? 'lead') === 'lead') redrawLead(Number(button.value));
  } catch (error) {
    say('error', textOf(error.message));
  } finally {
    node.disabled = false;
  }
}

// ---- The three panes, read again when something changes ----

/**
 * Puts `entries` (id, what it shows, how to draw it) in `list`, keeping the element of each one
 * that did not change: a button being clicked is not swapped out because another card changed.
 */
function drawKeyed(list, entries, empty) {
  const before = new Map([...list.children].map((node) => [node.dataset.message, node]));
  const nodes = entries.map(({ id, shows, draw }) => {
    const kept = before.get(id);
    if (kept && kept.dataset.shows === shows) return kept;
    const item = el('li', { 'data-message': id, 'data-shows': shows });
    item.append(...[draw(item)].flat(Number.POSITIVE_INFINITY).filter(Boolean));
    return item;
  });
  if (nodes.length === 0) nodes.push(el('li', { class: 'muted' }, empty));
  const same = nodes.length === list.children.length && nodes.every((node, i) => list.children[i] === node);
  if (!same) list.replaceChildren(...nodes);
}

async function drawChannel() {
  const data = await api(`/playground/api/channel/${encodeURIComponent(state.team)}`);
  const list = $('channel');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  const entries = data.messages.map((m) => ({
    id: m.id,
    shows: JSON.stringify(m.card),
    draw: (item) => (m.card.kind === 'card' ? drawLeadCard(m.card.view, item) : drawBurst(m.card.view, item)),
  }));
  drawKeyed(list, entries, word('channel_empty'));
  if (atBottom) list.scrollTop = list.scrollHeight;
  showClock(data.now);
}

async function drawDesk() {
  const view = await api(`/playground/api/desk?${asQuery()}`);
  const shows = JSON.stringify(view);
  if ($('desk').dataset.shows === shows) return;
  $('desk').dataset.shows = shows;
  $('desk').replaceChildren(drawHome(view, null));
}

async function drawDms() {
  const { messages } = await api(`/playground/api/dms?${asQuery()}`);
  const list = $('dms');
  const count = list.querySelectorAll('[data-message]').length;
  const entries = messages.map((m) => {
    const replaced = state.replaced.get(m.id);
    return {
      id: m.id,
      shows: replaced ?? `${state.locale}:${m.at}`,
      draw: (item) => [
        el('p', { class: 'muted' }, formatTime(m.at)),
        replaced ? el('p', { class: 'text replaced' }, replaced) : drawMessage(m.message, item),
      ],
    };
  });
  drawKeyed(list, entries, word('dms_empty'));
  if (messages.length > count) list.lastElementChild?.scrollIntoView({ block: 'nearest' });
}

/** A time as the person acting reads it: in their own zone, as every time in the messages is. */
const formatTime = (iso) =>
  new Intl.DateTimeFormat(state.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: state.person.timeZone,
  }).format(new Date(iso));

function showClock(iso) {
  if (iso) $('clock').textContent = word('clock', { time: formatTime(iso) });
}

const panes = { channel: drawChannel, desk: drawDesk, dms: drawDms };
const running = new Map();

/** Reads a pane again; a change while it is being read reads it once more after. */
function refresh(pane) {
  const current = running.get(pane);
  if (current) {
    current.again = true;
    return current.done;
  }
  const entry = { again: false, done: null };
  entry.done = (async () => {
    do {
      entry.again = false;
      try {
        await panes[pane]();
      } catch (error) {
        say('error', textOf(error.message));
      }
    } while (entry.again);
    running.delete(pane);
    document.body.dataset[`${pane}Drawn`] = String(Number(document.body.dataset[`${pane}Drawn`] ?? 0) + 1);
  })();
  running.set(pane, entry);
  return entry.done;
}

const refreshAll = () => Promise.all(Object.keys(panes).map(refresh));

function connect() {
  const address = `/playground/api/events${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const events = new EventSource(address);
  events.addEventListener('open', () => {
    live(true);
    refreshAll();
  });
  events.addEventListener('error', () => live(false));
  events.addEventListener('message', (message) => {
    const event = JSON.parse(message.data);
    if (event.type === 'clock') showClock(event.now);
    else if (event.type === 'channel' && event.team === state.team) {
      if (event.lead === undefined) refresh('channel');
      else redrawLead(event.lead);
    } else if (event.type === 'dm' && event.person === state.person.key) refresh('dms');
    else if (event.type === 'desk' && event.person === state.person.key) refresh('desk');
  });
}

/** One lead changed: only the message showing it is read and drawn again (a page may show 40). */
async function redrawLead(leadId) {
  const shown = $('channel').querySelector(`[data-message="lead-${leadId}"], [data-lead="${leadId}"]`);
  if (!shown) return;
  try {
    const message = await api(`/playground/api/card/${leadId}`);
    const item = $('channel').querySelector(`[data-message="${CSS.escape(message.id)}"]`);
    const shows = JSON.stringify(message.card);
    if (!item || item.dataset.shows === shows) return;
    const drawn =
      message.card.kind === 'card' ? drawLeadCard(message.card.view, item) : drawBurst(message.card.view, item);
    item.dataset.shows = shows;
    item.replaceChildren(drawn);
  } catch {
    refresh('channel');
  }
}

function live(on) {
  $('live').className = on ? 'online' : 'offline';
  $('live').textContent = word(on ? 'live' : 'offline');
}

// ---- Choosing who to act as, and the language ----

function drawWords() {
  document.documentElement.lang = state.locale;
  document.title = word('title');
  $('title').textContent = word('title');
  $('banner').textContent = word('banner');
  $('act-as-label').textContent = word('act_as');
  $('language-label').textContent = word('language');
  $('command-label').textContent = word('command');
  $('command').placeholder = word('command_hint');
  $('command-send').textContent = word('send');
  $('desk-title').textContent = word('desk');
  $('dms-title').textContent = word('dms');
  const team = state.index.teams.find((t) => t.id === state.team);
  $('channel-title').textContent = word('channel', { team: team?.name ?? state.team });
  $('act-as').replaceChildren(
    ...state.index.people.map((p) => {
      const roles = p.teams.map((t) => `${t.name} ${word(`role.${t.role}`)}`).join(', ');
      return el('option', { value: p.key }, `${p.name} · ${roles}`);
    }),
  );
  $('act-as').value = state.person.key;
  $('language').value = state.locale;
  $('team-tabs').replaceChildren(
    ...state.person.teams.map((t) =>
      el(
        'button',
        { type: 'button', 'aria-pressed': t.id === state.team, on: { click: () => choose({ team: t.id }) } },
        t.name,
      ),
    ),
  );
  live(!$('live').classList.contains('offline'));
}

function choose({ person, locale, team }) {
  if (person) {
    state.person = state.index.people.find((p) => p.key === person) ?? state.person;
    state.locale = state.person.locale;
    state.replaced.clear();
  }
  if (locale) state.locale = locale;
  if (team || !state.person.teams.some((t) => t.id === state.team)) state.team = team ?? state.person.teams[0]?.id;
  const address = new URL(location.href);
  address.searchParams.set('as', state.person.key);
  address.searchParams.set('lang', state.locale);
  history.replaceState(null, '', address);
  drawWords();
  $('answers').replaceChildren();
  for (const pane of ['channel', 'dms']) $(pane).replaceChildren();
  delete $('desk').dataset.shows;
  return refreshAll();
}

async function start() {
  try {
    state.index = await api('/playground/api/index');
  } catch (error) {
    $('banner').textContent = error.message;
    return;
  }
  const wanted = state.index.people.find((p) => p.key === params.get('as')) ?? state.index.people[0];
  if (!wanted) {
    $('banner').textContent = 'The teams file has no active members.';
    return;
  }
  state.person = wanted;
  const lang = params.get('lang');
  state.locale = lang === 'en' || lang === 'zh-CN' ? lang : wanted.locale;
  state.team = wanted.teams[0]?.id;
  $('act-as').addEventListener('change', (event) => choose({ person: event.target.value }));
  $('language').addEventListener('change', (event) => choose({ locale: event.target.value }));
  $('command-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('command').value.trim();
    if (!text) return;
    try {
      const body = { as: state.person.key, text, team: state.team, locale: state.locale, requestId: requestId() };
      show(await api('/playground/api/command', body));
      $('command').value = '';
    } catch (error) {
      say('error', textOf(error.message));
    }
  });
  drawWords();
  await refreshAll();
  connect();
  document.body.dataset.ready = 'true';
}

start();
