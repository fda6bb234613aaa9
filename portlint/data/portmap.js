// The port map page's script (portlint ports --format html), inlined into the page.
// It draws the spots from the page's data, makes them keyboard-focusable (one tab
// stop; arrow keys, Home and End move: a roving tabindex), shows a spot's claimants
// and registry entries on hover, focus or click, and sorts the table. Text from the
// repository goes in through textContent only, never as markup.
(() => {
  const D = JSON.parse(document.getElementById('pm-data').textContent);
  const T = D.texts, [Y0, LH, MH, FY] = D.geometry;
  const info = document.getElementById('pm-info'), svg = document.getElementById('pm-line');
  const rows = [...document.querySelectorAll('#pm-table tbody tr')];
  const NS = 'http://www.w3.org/2000/svg';
  const at = new Map(D.spots.map((s, i) => [s[0], i]));
  for (const r of rows) r.dataset.s = at.get(r.cells[0].textContent.trim());
  const el = (t, x) => {
    const e = document.createElement(t);
    if (x !== undefined) e.textContent = x;
    return e;
  };
  const sv = (t, a) => {
    const e = document.createElementNS(NS, t);
    for (const k in a) e.setAttribute(k, a[k]);
    return e;
  };
  const who = (r) => {
    const c = [...r.cells].map((x) => x.textContent.trim());
    return `${c[4]} ${c[5]} (${c[3]}, ${c[2]}) at ${c[7]}` + (c[8] ? ` [${c[8]}]` : '');
  };
  // A spot: [label, protocols, claims, x, width, flag x, [lane], state, [finding],
  // [IANA entry], [well-known owner]]; state 1 is a collision, 2 contested.
  const spots = D.spots.map((s, i) => {
    const g = sv('g', {class: 's' + (s[7] === 1 ? ' c' : s[7] === 2 ? ' k' : ''), 'data-s': i});
    if (s[7] === 1) g.append(sv('path', {class: 'f', d: `M${s[5]} ${FY + 11}l-5 -9h10z`}));
    else if (s[7] === 2) g.append(sv('circle', {class: 'f', cx: s[5], cy: FY + 6, r: 4}));
    for (const l of s[6]) {
      const y = Y0 + LH * l + 5;
      g.append(sv('rect', {class: 'm n-' + D.lanes[l], x: s[3], y, width: s[4], height: MH}));
    }
    svg.append(g);
    return g;
  });
  const list = (title, items) => {
    if (!items.length) return;
    info.append(el('h3', title));
    const u = el('ul');
    for (const i of items) u.append(el('li', i));
    info.append(u);
  };
  const show = (i) => {
    const s = D.spots[i];
    info.replaceChildren(el('h2', `port ${s[0]}/${s[1]}`));
    list('claimants', rows.filter((r) => r.dataset.s == i).map(who));
    list('collisions (portlint check)', s[8].map((k) => T[k]));
    if (s[7] === 2) list('contested', ['independent projects claim it: portlint ports --contested']);
    list(`IANA registry (as of ${D.date})`, s[9].map((k) => T[k]));
    list('well-known owners', s[10].map((k) => T[k]));
    for (const r of rows) r.classList.toggle('on', r.dataset.s == i);
    for (const g of spots) g.classList.toggle('on', g.dataset.s == i);
  };
  const keys = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};
  spots.forEach((g, k) => {
    const s = D.spots[k];
    g.setAttribute('tabindex', k ? '-1' : '0');
    g.setAttribute('role', 'button');
    const state = s[7] === 1 ? ', collision' : s[7] === 2 ? ', contested' : '';
    g.setAttribute('aria-label', `port ${s[0]}/${s[1]}, ${s[2]} claim${s[2] > 1 ? 's' : ''}${state}`);
    g.addEventListener('mouseenter', () => show(k));
    g.addEventListener('focus', () => show(k));
    g.addEventListener('click', () => { g.focus(); show(k); });
    g.addEventListener('keydown', (e) => {
      let j;
      if (e.key in keys) j = k + keys[e.key];
      else if (e.key === 'Home') j = 0;
      else if (e.key === 'End') j = spots.length - 1;
      else if (e.key === 'Enter' || e.key === ' ') { show(k); e.preventDefault(); return; }
      else return;
      e.preventDefault();
      j = Math.max(0, Math.min(spots.length - 1, j));
      g.setAttribute('tabindex', '-1');
      spots[j].setAttribute('tabindex', '0');
      spots[j].focus();
      show(j); // a focus event does not fire while the window itself is unfocused
    });
  });
  const body = document.querySelector('#pm-table tbody');
  const heads = [...document.querySelectorAll('#pm-table th')];
  const key = (r, c, t) => {
    const v = r.cells[c].textContent.trim();
    if (t === 'n') return [parseInt(v, 10) || 0, 0];
    const m = t === 'l' && /^(.*):(\d+):(\d+)$/.exec(v);
    return m ? [m[1], +m[2] * 1e6 + +m[3]] : [v, 0];
  };
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  heads.forEach((th, c) => th.querySelector('button').addEventListener('click', () => {
    const dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1, t = th.dataset.t;
    for (const h of heads) h.removeAttribute('aria-sort');
    th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
    const sorted = rows.map((r, i) => [key(r, c, t), i, r]).sort(
      (a, b) => dir * (cmp(a[0][0], b[0][0]) || cmp(a[0][1], b[0][1])) || a[1] - b[1]);
    body.replaceChildren(...sorted.map((x) => x[2]));
    document.getElementById('pm-sorted').textContent =
      `sorted by ${th.textContent.trim()}, ${dir > 0 ? 'ascending' : 'descending'}`;
  }));
  const h = /^#port=(\d+(?:-\d+)?)$/.exec(location.hash);
  if (h && at.has(h[1])) show(at.get(h[1]));
  document.documentElement.dataset.ready = '1';
})();
