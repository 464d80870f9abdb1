// The search page: Pagefind's JavaScript API over the index shards presse writes in
// /pagefind/<shard>/, newest shard first (see presse/search.py).
//
// "Most relevant first": one Pagefind instance loads the newest shard and merges the
// others; results come by score, and among equal scores the fresher article first.
// "Most recent first": each shard is sorted by date on its own and shards are read
// newest first, only as far as the reader goes (shards cover successive periods, so
// this is the exact date order; Pagefind's merged sort would interleave them).
//
// Every string comes from the page (translated by presse's catalogue); excerpts keep
// only their text and Pagefind's <mark> highlights. Without JavaScript the form stays
// hidden and a <noscript> message points to the archives.
const PAGE_SIZE = 10;
const MAX_TIES = 50; // a page grows to keep equal scores together, up to this

function start(form) {
  const section = form.closest(".search");
  const status = section.querySelector(".search__status");
  const list = section.querySelector(".search__results");
  const more = section.querySelector(".search__more");
  const input = form.querySelector("input[name=q]");
  const shards = form.dataset.shards.split(" ").filter(Boolean);
  const language = document.documentElement.lang || "fr";
  const numbers = new Intl.NumberFormat(language);
  const plurals = new Intl.PluralRules(language);
  const engines = new Engines(form.dataset.bundles, form.dataset.base, shards);
  let current = null; // the search whose results are on the page
  let timer = 0;

  form.hidden = false;

  function message(name, values) {
    const text = form.dataset[name] || "";
    return text.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
  }

  function order() {
    const checked = form.querySelector("input[name=tri]:checked");
    return checked && checked.value === "date" ? "date" : "pertinence";
  }

  async function search(query) {
    const mine = { query: query, order: order() };
    current = mine;
    list.replaceChildren();
    more.hidden = true;
    if (!query) {
      status.textContent = "";
      return;
    }
    status.textContent = message("searching", {});
    try {
      const found = await engines.count(query);
      if (current !== mine) return;
      mine.results = mine.order === "date"
        ? new RecentResults(engines, query)
        : new RelevantResults(found);
      const total = numbers.format(found.length);
      status.textContent = found.length === 0
        ? message("none", { query: query })
        : message(plurals.select(found.length) === "one" ? "foundOne" : "foundOther",
                  { count: total, query: query });
      if (found.length > 0) await show(mine, false);
    } catch (error) {
      if (current === mine) status.textContent = message("failed", {});
    }
  }

  async function show(mine, focus) {
    const items = await mine.results.next(PAGE_SIZE);
    if (current !== mine) return;
    let first = null;
    for (const item of items) {
      const link = list.appendChild(render(item)).querySelector("a");
      first = first || link;
    }
    more.hidden = !mine.results.hasMore();
    if (focus && first) first.focus();
  }

  function render(item) {
    const data = item.data;
    const entry = document.createElement("li");
    entry.className = "search__result";
    const heading = entry.appendChild(document.createElement("h2"));
    heading.className = "search__result-title";
    const link = heading.appendChild(document.createElement("a"));
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    const meta = data.meta || {};
    if (meta.date) {
      const line = entry.appendChild(document.createElement("p"));
      line.className = "search__result-meta";
      const time = line.appendChild(document.createElement("time"));
      time.dateTime = meta.datetime || "";
      time.textContent = meta.date;
      if (meta.section) line.append(" · " + meta.section);
    }
    const excerpt = entry.appendChild(document.createElement("p"));
    excerpt.className = "search__result-excerpt";
    excerpt.append(...highlighted(data.excerpt || ""));
    return entry;
  }

  function run() {
    const query = input.value.trim();
    const url = new URL(window.location.href);
    url.searchParams.set("q", query);
    url.searchParams.set("tri", order());
    window.history.replaceState(null, "", url);
    search(query);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    run();
  });
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 300);
  });
  for (const radio of form.querySelectorAll("input[name=tri]")) {
    radio.addEventListener("change", run);
  }
  more.addEventListener("click", () => {
    if (current && current.results) show(current, true);
  });

  const params = new URLSearchParams(window.location.search);
  if (params.get("tri") === "date") {
    form.querySelector("input[name=tri][value=date]").checked = true;
  }
  if (params.get("q")) {
    input.value = params.get("q");
    search(input.value.trim());
  }
}

// Text of an excerpt, with Pagefind's <mark> kept and nothing else.
function highlighted(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const parts = [];
  for (const node of template.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      parts.push(mark);
    } else {
      parts.push(document.createTextNode(node.textContent));
    }
  }
  return parts;
}

// Pagefind instances: one over every shard (relevance, counts), one per shard (dates).
class Engines {
  constructor(bundles, base, shards) {
    this.bundles = bundles;
    this.base = base;
    this.shards = shards;
    this.module = null;
    this.merged = null;
    this.single = new Map();
  }

  async load() {
    if (!this.module) {
      this.module = import(this.bundles + this.shards[0] + "/pagefind.js");
    }
    return this.module;
  }

  async all() {
    if (!this.merged) {
      this.merged = (async () => {
        const pagefind = await this.load();
        const engine = pagefind.createInstance({
          basePath: this.bundles + this.shards[0] + "/",
          baseUrl: this.base,
        });
        await engine.init();
        await Promise.all(this.shards.slice(1).map((name) =>
          engine.mergeIndex(this.bundles + name + "/", { baseUrl: this.base })));
        return engine;
      })();
    }
    return this.merged;
  }

  async shard(number) {
    if (!this.single.has(number)) {
      this.single.set(number, (async () => {
        const pagefind = await this.load();
        const engine = pagefind.createInstance({
          basePath: this.bundles + this.shards[number] + "/",
          baseUrl: this.base,
        });
        await engine.init();
        return engine;
      })());
    }
    return this.single.get(number);
  }

  // Every result, by score (equal scores: newer shard first, as merged).
  async count(query) {
    if (this.shards.length === 0) return [];
    const engine = await this.all();
    const response = await engine.search(query);
    return response ? response.results : [];
  }
}

async function loaded(results) {
  return Promise.all(results.map(async (result) => ({ score: result.score, data: await result.data() })));
}

// Relevance order; a page is extended to keep equal scores together, then ordered by
// date among them, so that the fresher of two equally relevant articles comes first.
class RelevantResults {
  constructor(results) {
    this.results = results;
    this.position = 0;
  }

  hasMore() {
    return this.position < this.results.length;
  }

  async next(count) {
    const results = this.results;
    let end = Math.min(this.position + count, results.length);
    const limit = Math.min(this.position + count + MAX_TIES, results.length);
    while (end < limit && results[end].score === results[end - 1].score) end++;
    const page = await loaded(results.slice(this.position, end));
    this.position = end;
    return page.sort((a, b) => b.score - a.score || stamp(b) - stamp(a));
  }
}

// Date order: shards newest first, each sorted by date, read as far as needed.
class RecentResults {
  constructor(engines, query) {
    this.engines = engines;
    this.query = query;
    this.shard = 0;
    this.waiting = [];
  }

  hasMore() {
    return this.waiting.length > 0 || this.shard < this.engines.shards.length;
  }

  async next(count) {
    while (this.waiting.length < count && this.shard < this.engines.shards.length) {
      const engine = await this.engines.shard(this.shard++);
      const response = await engine.search(this.query, { sort: { date: "desc" } });
      if (response) this.waiting.push(...response.results);
    }
    const page = await loaded(this.waiting.splice(0, count));
    return page;
  }
}

function stamp(item) {
  const value = Date.parse((item.data.meta && item.data.meta.datetime) || "");
  return Number.isNaN(value) ? 0 : value;
}

// Last: the classes above are only defined once the module has run down to here.
const form = document.querySelector(".search__form");
if (form) {
  start(form);
}
