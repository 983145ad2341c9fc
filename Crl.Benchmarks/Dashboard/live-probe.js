// Injected before any page script: records when each chart finished drawing (and up to which x), the main
// thread's long tasks, and how late a 50 ms timer fires, so the benchmark can read them without disturbing the page.
(() => {
  const probe = (window.__crlProbe = { drawn: [], longTasks: [], lateness: [] });
  let plotly;
  const lastX = (gd) => {
    const el = typeof gd === 'string' ? document.getElementById(gd) : gd;
    let max = -Infinity;
    for (const trace of (el && el.data) || []) if (trace.x && trace.x.length) max = Math.max(max, trace.x[trace.x.length - 1]);
    return [el ? el.id : '', max];
  };
  const wrap = (name) => {
    const real = plotly[name].bind(plotly);
    plotly[name] = (gd, ...rest) => {
      const started = performance.now();
      return Promise.resolve(real(gd, ...rest)).then((result) => {
        probe.drawn.push([Date.now(), ...lastX(gd), performance.now() - started, name]);
        return result;
      });
    };
  };
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get: () => plotly,
    set: (value) => { plotly = value; wrap('react'); wrap('newPlot'); wrap('extendTraces'); },
  });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push([Math.round(performance.timeOrigin + e.startTime), e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  let expected = performance.now() + 50;
  setInterval(() => {
    const now = performance.now();
    probe.lateness.push([Date.now(), Math.max(0, now - expected)]);
    expected = now + 50;
  }, 50);
})();
