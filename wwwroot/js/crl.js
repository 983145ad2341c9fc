// Saves text the server rendered (a chart's CSV) as a file, without a second request.
window.crlDownload = (fileName, text, mimeType) => {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
};

// Figures (Crl.Web/Components/Charts/Plot.razor). Each chart is a host element the page renders and an inner graph
// element that only this script touches, so Blazor leaves a drawn graph alone. A prerendered page carries each
// figure as JSON: plotly.js starts loading at once and the graphs are drawn while Blazor connects. When Blazor swaps
// the prerendered markup for the interactive one, the drawn graph moves into the new host before the browser paints
// (a MutationObserver), and the interactive chart only asks whether the page's copy is still current (`mount`)
// instead of receiving every point again.
window.crlPlot = (() => {
  let plotly;
  const loadPlotly = () => (plotly ??= new Promise((resolve, reject) => {
    if (window.Plotly) return resolve(window.Plotly);
    const script = document.createElement('script');
    script.src = document.querySelector('meta[name=crl-plotly]').content;
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => reject(new Error(`plotly.js did not load from ${script.src}`));
    document.head.appendChild(script);
  }));

  // The graph element plotly.js draws into, inside the host with that id.
  const graphs = new Map();
  const graph = (id) => {
    const host = document.getElementById(id);
    let gd = graphs.get(id);
    if (!gd) {
      gd = document.createElement('div');
      gd.id = `${id}-graph`;
      graphs.set(id, gd);
    }
    if (host && gd.parentNode !== host) host.replaceChildren(gd);
    return gd;
  };

  // Figures waiting for plotly.js or for their turn; a figure drawn while an older one still waits replaces it.
  // Charts are drawn one per task, so a page of charts does not freeze the page in one long task.
  const figures = new Map();
  const nextTask = () => new Promise((resolve) => setTimeout(resolve));
  let queue = Promise.resolve();
  const draw = (id, figure) => {
    figures.set(id, figure);
    queue = queue.then(async () => {
      const Plotly = await loadPlotly();
      await nextTask();
      if (figures.get(id) !== figure) return;
      figures.delete(id);
      // A chart whose page was left meanwhile has no host to be drawn in.
      if (document.getElementById(id)) await Plotly.react(graph(id), figure.data, figure.layout, figure.config);
    }).catch((e) => console.error(`chart ${id} could not be drawn`, e));
  };

  // The prerendered page's figures: drawn now, and kept by revision for `mount`.
  const prerendered = new Map();
  for (const script of document.querySelectorAll('script[data-crl-plot]')) {
    const id = script.dataset.crlPlot;
    prerendered.set(id, script.dataset.revision);
    draw(id, JSON.parse(script.textContent));
  }
  // Until every prerendered chart is mounted, Blazor may swap the markup around it.
  const adopt = new MutationObserver(() => {
    for (const id of prerendered.keys()) if (document.getElementById(id)) graph(id);
  });
  if (prerendered.size > 0) adopt.observe(document.body, { childList: true, subtree: true });

  return {
    /** Whether the page's own figure for this chart is current (drawn or about to be); otherwise the server sends it. */
    mount(id, revision) {
      const page = prerendered.get(id);
      prerendered.delete(id);
      if (prerendered.size === 0) adopt.disconnect();
      graph(id);
      return page !== undefined && page === revision;
    },
    draw: (id, json) => draw(id, JSON.parse(json)),
    /** The graph element of a drawn chart, or undefined. */
    drawn: (id) => (graphs.get(id)?.data ? graph(id) : undefined),
    /** A figure not drawn yet takes new points into its data; a drawn one through extendTraces. */
    pending: (id) => figures.get(id),
  };
})();

// New points for live charts: each line keeps its first `keep` points and gains `x`/`y` (a long curve's last bucket
// changes as points arrive). Redrawing a 2,000-point line costs plotly.js 15-20 ms of the page's only thread, and a
// run page gets a point for every chart at once, so:
// - each chart is drawn in its own task (back to back they would make one long task that freezes the page), and
//   updates that pile up for a chart while it waits are merged into one redraw;
// - a chart off screen, or on a page in a background tab, is not redrawn: its updates wait, merged, and are drawn
//   as soon as it scrolls into view or the tab is shown again. A user sees the same curves, and a page of ten charts
//   of which three are on screen does a third of the work.
(() => {
  const pending = new Map();
  // Charts known to be off screen; a chart not observed yet counts as on screen, so nothing waits on the observer.
  const offScreen = new Set();
  const observed = new WeakSet();
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      // Blazor replaces a host when the page turns interactive; only the host now in the page counts.
      if (document.getElementById(entry.target.id) !== entry.target) {
        observer.unobserve(entry.target);
        continue;
      }
      if (entry.isIntersecting) offScreen.delete(entry.target.id);
      else offScreen.add(entry.target.id);
    }
    schedule();
  }, { rootMargin: '200px 0px' }); // a chart being scrolled towards is current by the time it appears
  const watch = (id) => {
    const host = document.getElementById(id);
    if (host && !observed.has(host)) {
      observed.add(host);
      observer.observe(host);
    }
  };
  const onScreen = (id) => document.visibilityState === 'visible' && !offScreen.has(id);
  document.addEventListener('visibilitychange', () => schedule());

  let scheduled = false;
  const drawNext = () => {
    scheduled = false;
    const next = [...pending.keys()].find((id) => window.crlPlot.pending(id) || onScreen(id));
    if (next === undefined) return;
    const update = pending.get(next);
    pending.delete(next);
    const waiting = window.crlPlot.pending(next);
    const gd = window.crlPlot.drawn(next);
    if (waiting) {
      update.keep.forEach((keep, i) => {
        waiting.data[i].x = waiting.data[i].x.slice(0, keep).concat(update.x[i]);
        waiting.data[i].y = waiting.data[i].y.slice(0, keep).concat(update.y[i]);
      });
    } else if (gd && window.Plotly) {
      update.keep.forEach((keep, i) => {
        if (keep < gd.data[i].x.length) {
          gd.data[i].x = Array.from(gd.data[i].x).slice(0, keep);
          gd.data[i].y = Array.from(gd.data[i].y).slice(0, keep);
        }
      });
      window.Plotly.extendTraces(gd, { x: update.x, y: update.y }, update.keep.map((_, i) => i));
    }
    schedule();
  };
  function schedule() {
    if (!scheduled && pending.size > 0) {
      scheduled = true;
      setTimeout(drawNext, 0);
    }
  }
  window.crlExtendTraces = (id, keep, x, y) => {
    watch(id);
    const queued = pending.get(id);
    if (queued) {
      // The queued update leaves keep + x.length points; the new one cuts back to its own keep and adds its points.
      keep.forEach((k, i) => {
        const cut = Math.max(0, k - queued.keep[i]);
        if (k >= queued.keep[i]) {
          queued.x[i] = queued.x[i].slice(0, cut).concat(x[i]);
          queued.y[i] = queued.y[i].slice(0, cut).concat(y[i]);
        } else {
          queued.keep[i] = k;
          queued.x[i] = x[i];
          queued.y[i] = y[i];
        }
      });
    } else {
      pending.set(id, { keep, x, y });
    }
    schedule();
  };
})();
