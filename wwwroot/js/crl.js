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

// Figures (Crl.Web/Components/Charts/Plot.razor). A prerendered page carries each figure as JSON; it is kept here
// before Blazor swaps the prerendered markup for the interactive one, so the interactive chart asks only whether the
// page's copy is still current (`mount`) instead of receiving every point again. plotly.js is loaded on the first
// mount, which comes from an interactive page: tables and buttons work before ~1.4 MB of script is parsed.
window.crlPlot = (() => {
  const prerendered = new Map();
  for (const script of document.querySelectorAll('script[data-crl-plot]'))
    prerendered.set(script.dataset.crlPlot, { revision: script.dataset.revision, json: script.textContent });

  let plotly;
  const loadPlotly = () => (plotly ??= new Promise((resolve, reject) => {
    if (window.Plotly) return resolve(window.Plotly);
    const script = document.createElement('script');
    script.src = document.querySelector('meta[name=crl-plotly]').content;
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => reject(new Error(`plotly.js did not load from ${script.src}`));
    document.head.appendChild(script);
  }));

  // Figures waiting for plotly.js or for their turn; a chart drawn while an older figure still waits replaces it.
  const figures = new Map();
  const draw = async (id, figure) => {
    figures.set(id, figure);
    const Plotly = await loadPlotly();
    if (figures.get(id) !== figure) return;
    figures.delete(id);
    const gd = document.getElementById(id);
    if (gd) await Plotly.react(gd, figure.data, figure.layout, figure.config);
  };

  return {
    mount(id, revision) {
      const page = prerendered.get(id);
      prerendered.delete(id);
      if (!page || page.revision !== revision) return false;
      draw(id, JSON.parse(page.json));
      return true;
    },
    draw: (id, json) => draw(id, JSON.parse(json)),
    /** A figure not drawn yet takes new points into its data; a drawn one through extendTraces. */
    pending: (id) => figures.get(id),
  };
})();

// New points for live charts: each line keeps its first `keep` points and gains `x`/`y` (a long curve's last bucket
// changes as points arrive). A run page updates all its charts at once; drawn back to back they make one long task
// that freezes the page, so each chart is drawn in its own task, and updates that pile up for a chart are merged.
(() => {
  const pending = new Map();
  let scheduled = false;
  const drawNext = () => {
    scheduled = false;
    const next = pending.entries().next();
    if (next.done) return;
    const [id, update] = next.value;
    pending.delete(id);
    const waiting = window.crlPlot.pending(id);
    const gd = document.getElementById(id);
    if (waiting) {
      update.keep.forEach((keep, i) => {
        waiting.data[i].x = waiting.data[i].x.slice(0, keep).concat(update.x[i]);
        waiting.data[i].y = waiting.data[i].y.slice(0, keep).concat(update.y[i]);
      });
    } else if (gd && gd.data && window.Plotly) {
      update.keep.forEach((keep, i) => {
        gd.data[i].x = Array.from(gd.data[i].x).slice(0, keep);
        gd.data[i].y = Array.from(gd.data[i].y).slice(0, keep);
      });
      window.Plotly.extendTraces(gd, { x: update.x, y: update.y }, update.keep.map((_, i) => i));
    }
    if (pending.size > 0) schedule();
  };
  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      setTimeout(drawNext, 0);
    }
  };
  window.crlExtendTraces = (id, keep, x, y) => {
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
