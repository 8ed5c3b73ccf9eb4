// The portfolio dashboard: one page over the public API, signed in with an API key that stays in
// this tab's sessionStorage. Every figure shown comes from an API answer; each chart container
// gets data-ready="true" once drawn, and each KPI keeps the API's raw value in data-value.
'use strict';

const TEXT = {
  en: {
    subtitle: 'Portfolio under watch', signIn: 'Sign in', signOut: 'Sign out', apiKey: 'API key', open: 'Open',
    signInHelp: 'Your API key is kept in this browser tab only, until you close it.',
    portfolio: 'Portfolio', members: 'Members', exposure: 'Exposure', expectedLoss: 'Expected loss',
    weightedPd: 'Exposure-weighted PD', ecl: 'IFRS 9 ECL', rwa: 'Basel III RWA', scr: 'Solvency II SCR (default)',
    byLevel: 'Exposure by risk level', byGrade: 'Exposure by grade', evolution: 'Evolution',
    bySector: 'Concentration by sector (NAF section)', byRegion: 'Concentration by region', hhi: 'HHI',
    matrix: 'Risk × exposure', movers: 'Top movers (30 days)', alerts: 'Latest alerts', largest: 'Largest exposures',
    company: 'Company', reference: 'Reference', scoreThen: 'Score then', score: 'Score', drop: 'Drop', when: 'When',
    rule: 'Rule', change: 'Before → after', status: 'Status', level: 'Level', close: 'Close', reasons: 'Reasons',
    history: 'History', asOf: 'as of', count: 'count', none: 'Nothing yet.', badKey: 'This key was refused.',
    failed: 'The gateway did not answer this call', noPortfolio: 'This tenant has no portfolio yet.',
    levels: { low: 'low', medium: 'medium', high: 'high', very_high: 'very high', unscored: 'unscored' },
  },
  fr: {
    subtitle: 'Portefeuille sous surveillance', signIn: 'Connexion', signOut: 'Déconnexion', apiKey: 'Clé d’API',
    open: 'Ouvrir', signInHelp: 'Votre clé d’API reste dans cet onglet seulement, jusqu’à sa fermeture.',
    portfolio: 'Portefeuille', members: 'Membres', exposure: 'Encours', expectedLoss: 'Perte attendue',
    weightedPd: 'PD pondérée par l’encours', ecl: 'Pertes attendues IFRS 9', rwa: 'RWA Bâle III',
    scr: 'SCR Solvabilité II (défaut)', byLevel: 'Encours par niveau de risque', byGrade: 'Encours par classe',
    evolution: 'Évolution', bySector: 'Concentration par secteur (section NAF)', byRegion: 'Concentration par région',
    hhi: 'IHH', matrix: 'Risque × encours', movers: 'Plus fortes baisses (30 jours)', alerts: 'Dernières alertes',
    largest: 'Plus gros encours', company: 'Entreprise', reference: 'Référence', scoreThen: 'Score avant',
    score: 'Score', drop: 'Baisse', when: 'Date', rule: 'Règle', change: 'Avant → après', status: 'Statut',
    level: 'Niveau', close: 'Fermer', reasons: 'Motifs', history: 'Historique', asOf: 'au', count: 'nombre',
    none: 'Rien pour l’instant.', badKey: 'Cette clé a été refusée.', failed: 'La passerelle n’a pas répondu à cet appel',
    noPortfolio: 'Ce client n’a pas encore de portefeuille.',
    levels: { low: 'faible', medium: 'moyen', high: 'élevé', very_high: 'très élevé', unscored: 'non noté' },
  },
};
const LEVEL_COLOURS = { low: '#2e7d32', medium: '#f9a825', high: '#ef6c00', very_high: '#c62828', unscored: '#9e9e9e' };
const KEY = 'scoregate.apiKey';

let lang = localStorage.getItem('scoregate.lang') || (navigator.language || 'en').slice(0, 2);
if (!TEXT[lang]) lang = 'en';
const charts = {};
let current = null;

const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[lang][key];
const money = (s) => s == null ? '—' : Number(s).toLocaleString(lang, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const pct = (x) => x == null ? '—' : (100 * x).toLocaleString(lang, { maximumFractionDigits: 2 }) + ' %';
const levelName = (l) => t('levels')[l] || l;

function applyLanguage() {
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $('lang-en').classList.toggle('active', lang === 'en');
  $('lang-fr').classList.toggle('active', lang === 'fr');
}

async function api(path) {
  const response = await fetch(path, { headers: { 'X-API-Key': sessionStorage.getItem(KEY), Accept: 'application/json' } });
  if (response.status === 401 || response.status === 403) {
    signOut(t('badKey'));
    throw new Error('refused');
  }
  if (!response.ok) {
    let detail = '';
    try { detail = (await response.json()).detail || ''; } catch (e) { /* not a problem body */ }
    throw new Error(t('failed') + ' (' + response.status + ') ' + detail);
  }
  return response.json();
}

function signOut(message) {
  sessionStorage.removeItem(KEY);
  $('book').hidden = true;
  $('company').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message || '';
}

async function signIn() {
  try {
    const list = await api('/api/v1/portfolios?limit=100');
    const select = $('portfolio');
    select.replaceChildren();
    for (const p of list.items) {
      const option = document.createElement('option');
      option.value = p.id;
      option.textContent = p.name;
      select.append(option);
    }
    $('sign-in').hidden = true;
    $('sign-out').hidden = false;
    $('book').hidden = false;
    if (list.items.length === 0) {
      $('book-error').textContent = t('noPortfolio');
      return;
    }
    const wanted = new URLSearchParams(location.search).get('portfolio');
    if (wanted && list.items.some((p) => p.id === wanted)) select.value = wanted;
    await show(select.value);
  } catch (e) {
    if (e.message !== 'refused') $('sign-in-error').textContent = e.message;
  }
}

// The book's charts. The first frame of each and the end of its first drawing (animation
// included) go into the browser's performance timeline, and once every chart of the book has
// one, 'scoregate:charts-rendered' and 'scoregate:charts-drawn' do: how long the page takes to
// show the book can be read from the browser (performance.getEntriesByType('mark')).
const BOOK_CHARTS = ['chart-levels', 'chart-grades', 'chart-evolution', 'chart-sectors', 'chart-regions', 'chart-matrix'];
const marked = new Set();

function mark(stage, id) {
  if (marked.has(stage + id)) return;
  marked.add(stage + id);
  performance.mark('scoregate:' + stage + ':' + id);
  if (!marked.has(stage) && BOOK_CHARTS.every((c) => marked.has(stage + c))) {
    marked.add(stage);
    performance.mark('scoregate:charts-' + stage);
  }
}

function chart(id, option) {
  const el = $(id);
  if (!charts[id]) {
    charts[id] = echarts.init(el);
    charts[id].on('rendered', () => mark('rendered', id));
    charts[id].on('finished', () => mark('drawn', id));
  }
  charts[id].setOption(option, true);
  el.dataset.ready = 'true';
}

function kpi(id, raw, shown) {
  const el = $(id);
  el.dataset.value = raw == null ? '' : String(raw);
  el.textContent = shown;
}

function companyLink(company) {
  const a = document.createElement('a');
  a.className = 'company';
  a.textContent = company.name || company.id;
  a.dataset.country = company.country;
  a.dataset.id = company.id;
  a.addEventListener('click', () => showCompany(company));
  return a;
}

function cell(content, numeric) {
  const td = document.createElement('td');
  if (content instanceof Node) td.append(content); else td.textContent = content == null ? '—' : String(content);
  if (numeric) td.className = 'num';
  return td;
}

function fill(tableId, rows, toCells) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = cell(t('none'));
    td.colSpan = 6;
    tr.append(td);
    body.append(tr);
  }
  for (const row of rows) {
    const tr = document.createElement('tr');
    tr.append(...toCells(row));
    body.append(tr);
  }
}

function bars(id, groups, colour) {
  chart(id, {
    tooltip: { trigger: 'axis' },
    grid: { left: 90, right: 20, top: 10, bottom: 30 },
    xAxis: { type: 'category', data: groups.map((g) => colour ? levelName(g.key) : g.key) },
    yAxis: { type: 'value' },
    series: [{
      type: 'bar', name: t('exposure'),
      data: groups.map((g) => ({ value: Number(g.exposure), itemStyle: colour ? { color: LEVEL_COLOURS[g.key] } : undefined })),
    }],
  });
}

async function show(portfolioId) {
  current = portfolioId;
  $('book-error').textContent = '';
  const base = '/api/v1/portfolios/' + portfolioId;
  const [summary, distribution, evolution, sectors, regions, matrix, largest, regulatory, movers, alerts] =
    await Promise.all([
      api(base + '/summary'), api(base + '/distribution'), api(base + '/evolution?days=90'),
      api(base + '/concentration?by=section'), api(base + '/concentration?by=region'), api(base + '/matrix'),
      api(base + '/exposures?limit=10'), api(base + '/regulatory'), api(base + '/movers?days=30'),
      api(base + '/alerts?limit=10'),
    ]).catch((e) => { $('book-error').textContent = e.message; throw e; });
  if (current !== portfolioId) return;

  $('as-of').textContent = t('asOf') + ' ' + summary.portfolio.as_of;
  kpi('kpi-members', summary.members, summary.members.toLocaleString(lang));
  kpi('kpi-exposure', summary.exposure, money(summary.exposure));
  kpi('kpi-el', summary.expected_loss, money(summary.expected_loss));
  kpi('kpi-pd', summary.exposure_weighted_pd, pct(summary.exposure_weighted_pd));
  kpi('kpi-ecl', regulatory.ifrs9.general_ecl, money(regulatory.ifrs9.general_ecl));
  kpi('kpi-rwa', regulatory.basel3.rwa, money(regulatory.basel3.rwa));
  kpi('kpi-scr', regulatory.solvency2.scr, money(regulatory.solvency2.scr));

  bars('chart-levels', distribution.by_level, true);
  bars('chart-grades', distribution.by_grade, false);
  chart('chart-evolution', {
    tooltip: { trigger: 'axis' },
    legend: { data: [t('exposure'), t('expectedLoss')] },
    grid: { left: 90, right: 90, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: evolution.snapshots.map((s) => s.date) },
    yAxis: [{ type: 'value' }, { type: 'value' }],
    series: [
      { name: t('exposure'), type: 'line', data: evolution.snapshots.map((s) => Number(s.exposure)) },
      { name: t('expectedLoss'), type: 'line', yAxisIndex: 1, data: evolution.snapshots.map((s) => Number(s.expected_loss)) },
    ],
  });
  for (const [id, c, hhi] of [['chart-sectors', sectors, 'hhi-sector'], ['chart-regions', regions, 'hhi-region']]) {
    chart(id, {
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: ['35%', '70%'], data: c.groups.map((g) => ({ name: g.key, value: Number(g.exposure) })) }],
    });
    $(hhi).textContent = c.hhi.toLocaleString(lang);
    $(hhi).dataset.value = String(c.hhi);
  }
  const bandNames = matrix.bands.map((b) => b.to == null ? '≥ ' + money(b.from) : money(b.from) + ' – ' + money(b.to));
  const levelNames = matrix.rows.map((r) => levelName(r.risk_level));
  const cells = [];
  let max = 0;
  matrix.rows.forEach((r, y) => r.cells.forEach((c, x) => {
    cells.push([x, y, Number(c.exposure), c.count]);
    max = Math.max(max, Number(c.exposure));
  }));
  chart('chart-matrix', {
    tooltip: { formatter: (p) => levelNames[p.value[1]] + ', ' + bandNames[p.value[0]] + ': ' + money(p.value[2]) + ' (' + p.value[3] + ')' },
    grid: { left: 90, right: 20, top: 10, bottom: 60 },
    xAxis: { type: 'category', data: bandNames, splitArea: { show: true } },
    yAxis: { type: 'category', data: levelNames, splitArea: { show: true }, inverse: true },
    visualMap: { dimension: 2, min: 0, max: Math.max(1, max), calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#fff8e1', '#c62828'] } },
    series: [{ type: 'heatmap', data: cells, label: { show: true, formatter: (p) => p.value[3] } }],
  });

  fill('movers', movers.movers, (m) => [
    cell(companyLink(m.company)), cell(m.reference), cell(money(m.exposure), true),
    cell(m.score_then, true), cell(m.score, true), cell(m.drop, true),
  ]);
  fill('alerts', alerts.items, (a) => [
    cell(new Date(a.created_at).toLocaleString(lang)), cell(companyLink(a.company)), cell(a.rule),
    cell((a.score_before == null ? '—' : a.score_before) + ' → ' + (a.score_after == null ? '—' : a.score_after)),
    cell(money(a.exposure), true), cell(a.status),
  ]);
  fill('largest', largest.exposures, (m) => [
    cell(companyLink(m.company)), cell(m.reference), cell(money(m.exposure), true),
    cell(m.score, true), cell(levelName(m.risk_level || 'unscored')),
  ]);
  document.body.dataset.loadedMs = String(Math.round(performance.now()));
  document.body.dataset.loaded = portfolioId;
}

async function showCompany(company) {
  const path = '/api/v1/companies/' + encodeURIComponent(company.country) + '/' + encodeURIComponent(company.id);
  const [score, history] = await Promise.all([api(path + '/score'), api(path + '/history?limit=50')]);
  $('company').hidden = false;
  $('company-name').textContent = (score.company && score.company.name) || company.name || company.id;
  $('company-score').textContent = t('score') + ' ' + (score.score == null ? '—' : score.score) + ' · PD ' + pct(score.pd)
    + ' · ' + levelName(score.risk_level || 'unscored');
  const reasons = $('company-reasons');
  reasons.replaceChildren();
  for (const r of score.reasons || []) {
    const li = document.createElement('li');
    li.textContent = (lang === 'fr' && r.text_fr) ? r.text_fr : r.text;
    reasons.append(li);
  }
  const points = (history.items || []).slice().reverse();
  chart('chart-history', {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 20, top: 10, bottom: 30 },
    xAxis: { type: 'category', data: points.map((p) => p.recorded_at.slice(0, 10)) },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [{ type: 'line', step: 'end', data: points.map((p) => p.score) }],
  });
}

window.addEventListener('DOMContentLoaded', () => {
  applyLanguage();
  $('lang-en').addEventListener('click', () => { lang = 'en'; localStorage.setItem('scoregate.lang', lang); applyLanguage(); if (current) show(current); });
  $('lang-fr').addEventListener('click', () => { lang = 'fr'; localStorage.setItem('scoregate.lang', lang); applyLanguage(); if (current) show(current); });
  $('sign-out').addEventListener('click', () => signOut(''));
  $('company-close').addEventListener('click', () => { $('company').hidden = true; });
  $('portfolio').addEventListener('change', (e) => show(e.target.value).catch(() => {}));
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, $('api-key').value.trim());
    $('api-key').value = '';
    signIn();
  });
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  if (sessionStorage.getItem(KEY)) signIn();
});
