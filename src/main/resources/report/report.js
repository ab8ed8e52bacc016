// Builds the report's cards from the rows' JSON, a page at a time (a report of 10,000 rows shows its first screen
// at once), and filters, searches and sorts them. Text only ever goes in through textContent and attributes
// through setAttribute: markup in a prompt stays text. Videos load nothing until played (preload=none);
// their posters are set when they come near the screen; thumbnails load lazily.
(function () {
  'use strict';
  var PAGE = 100;
  var STATUS_ORDER = { FAILED: 0, SKIPPED: 1, PENDING: 2, SUCCEEDED: 3 };
  var rows = JSON.parse(document.getElementById('rows').textContent);
  var lang = document.documentElement.lang;
  var cards = document.getElementById('cards');
  var cardTemplate = document.getElementById('card');
  var videoTemplate = document.getElementById('video');
  var more = document.getElementById('more');
  var showing = document.getElementById('showing');
  var noMatch = document.getElementById('no-match');
  var state = { status: 'ALL', query: '', sort: 'row' };
  var view = [];
  var shown = 0;

  function format(pattern, a, b) {
    return pattern.split('{0}').join(String(a)).split('{1}').join(String(b));
  }

  // An id breaks only after a separator (a wbr there), never inside a token.
  function token(element, text) {
    element.textContent = '';
    var parts = String(text).match(/[^_\-.;\/]+[_\-.;\/]*|[_\-.;\/]+/g) || [];
    parts.forEach(function (part, i) {
      element.appendChild(document.createTextNode(part));
      if (i < parts.length - 1) {
        element.appendChild(document.createElement('wbr'));
      }
    });
  }

  // An ISO-8601 UTC time shown in the viewer's time zone, the UTC time in its title.
  function time(element, iso) {
    var date = new Date(iso);
    element.setAttribute('datetime', iso);
    element.title = iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '') + ' UTC';
    element.textContent = isNaN(date.getTime()) ? iso
        : date.toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'medium' });
  }

  function number(value) {
    var n = parseFloat(value);
    return isNaN(n) ? -1 : n;
  }

  var ORDERS = {
    row: function (a, b) { return a.row - b.row; },
    status: function (a, b) {
      return (a.status in STATUS_ORDER ? STATUS_ORDER[a.status] : 9)
          - (b.status in STATUS_ORDER ? STATUS_ORDER[b.status] : 9) || a.row - b.row;
    },
    duration: function (a, b) { return number(b.duration_s) - number(a.duration_s) || a.row - b.row; },
    cost: function (a, b) { return number(b.cost) - number(a.cost) || a.row - b.row; }
  };

  var posters = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        entry.target.setAttribute('poster', entry.target.dataset.poster);
        posters.unobserve(entry.target);
      }
    });
  }, { rootMargin: '600px' }) : null;

  function link(href, name) {
    var a = document.createElement('a');
    a.setAttribute('href', href);
    token(a, name);
    return a;
  }

  function video(r, v, i) {
    var figure = videoTemplate.content.firstElementChild.cloneNode(true);
    var player = figure.querySelector('video');
    player.setAttribute('src', v.src);
    if (r.width && r.height) {
      player.style.aspectRatio = r.width + ' / ' + r.height;
    }
    var caption = figure.querySelector('figcaption');
    if (v.poster) {
      if (posters) {
        player.dataset.poster = v.poster;
        posters.observe(player);
      } else {
        player.setAttribute('poster', v.poster);
      }
      var img = document.createElement('img');
      img.className = 'thumbnail';
      img.loading = 'lazy';
      img.setAttribute('src', v.poster);
      img.alt = r.videos.length > 1 ? format(videoTemplate.dataset.variantFormat, r.row, i + 1)
          : format(videoTemplate.dataset.format, r.row);
      caption.appendChild(img);
    }
    caption.appendChild(link(v.src, v.name));
    if (v.poster) {
      caption.appendChild(document.createTextNode(' \u00b7 '));
      caption.appendChild(link(v.poster, v.posterName));
    }
    return figure;
  }

  // The fact's value element, or null (and the fact removed) when the row has no value for it.
  function fact(article, name, value) {
    var holder = article.querySelector('[data-fact=' + name + ']');
    if (value === undefined || value === null || value === '') {
      holder.remove();
      return null;
    }
    return holder.querySelector('dd');
  }

  // Each fact of a card and the column that gives it.
  var FACTS = { seconds: 'n_seconds', variants: 'n_variants', cost: 'cost', job: 'job_id',
    generations: 'generation_ids', http: 'http_status', error: 'error', attempts: 'attempts',
    submitted: 'submitted_at', finished: 'finished_at', took: 'duration_s', requestId: 'apim_request_id' };

  function showFact(article, name, value) {
    var dd = fact(article, name, value);
    if (!dd) {
      return;
    }
    var when = dd.querySelector('time');
    if (when) {
      time(when, value);
    } else if (dd.classList.contains('token')) {
      token(dd, value);
    } else {
      dd.textContent = dd.dataset.format ? format(dd.dataset.format, value) : value;
    }
  }

  function optional(element, value) {
    if (value) {
      element.textContent = element.dataset.format ? format(element.dataset.format, value) : value;
    } else {
      element.remove();
    }
  }

  function card(r) {
    var article = cardTemplate.content.firstElementChild.cloneNode(true);
    article.id = 'row-' + r.row;
    article.dataset.status = r.status;
    var rowName = article.querySelector('.row');
    rowName.textContent = format(rowName.dataset.format, r.row);
    var id = article.querySelector('.id');
    if (r.id) {
      token(id, r.id);
    } else {
      id.remove();
    }
    var badge = article.querySelector('.badge');
    badge.textContent = r.status;
    badge.classList.add(String(r.status).toLowerCase());
    article.querySelector('.prompt').textContent = r.prompt || '';
    var videos = article.querySelector('.videos');
    (r.videos || []).forEach(function (v, i) { videos.appendChild(video(r, v, i)); });
    optional(article.querySelector('.image-url'), r.image_url);
    optional(article.querySelector('.diagnosis'), r.diagnosis);
    showFact(article, 'size', r.width && r.height ? r.width + 'x' + r.height : '');
    Object.keys(FACTS).forEach(function (name) { showFact(article, name, r[FACTS[name]]); });
    return article;
  }

  function page() {
    var fragment = document.createDocumentFragment();
    var end = Math.min(view.length, shown + PAGE);
    for (; shown < end; shown++) {
      fragment.appendChild(card(view[shown]));
    }
    cards.appendChild(fragment);
    more.hidden = shown >= view.length;
    noMatch.hidden = view.length > 0;
    showing.textContent = format(showing.dataset.format, shown.toLocaleString(lang),
        view.length.toLocaleString(lang));
  }

  function searchable(r) {
    if (r.searchable === undefined) {
      r.searchable = [r.prompt, r.id, r.job_id, r.generation_ids].join('\n').toLowerCase();
    }
    return r.searchable;
  }

  function refresh() {
    var query = state.query.trim().toLowerCase();
    view = rows.filter(function (r) {
      return (state.status === 'ALL' || r.status === state.status)
          && (!query || searchable(r).indexOf(query) >= 0);
    });
    view.sort(ORDERS[state.sort]);
    cards.textContent = '';
    shown = 0;
    page();
  }

  document.querySelectorAll('.filters button').forEach(function (button) {
    button.addEventListener('click', function () {
      state.status = button.dataset.filter;
      document.querySelectorAll('.filters button').forEach(function (b) {
        b.setAttribute('aria-pressed', String(b === button));
      });
      refresh();
    });
  });
  var search = document.getElementById('search');
  search.addEventListener('input', function () {
    state.query = search.value;
    refresh();
  });
  var sort = document.getElementById('sort');
  sort.addEventListener('change', function () {
    state.sort = sort.value;
    refresh();
  });
  more.addEventListener('click', page);
  if ('IntersectionObserver' in window) {
    new IntersectionObserver(function (entries) {
      if (entries[0].isIntersecting && !more.hidden) {
        page();
      }
    }, { rootMargin: '800px' }).observe(more);
  }

  // The failed rows with the input's columns, ready to fix and run again.
  function csvField(value) {
    var s = value === undefined || value === null ? '' : String(value);
    return /[",\r\n]/.test(s) || s !== s.trim() ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  var download = document.getElementById('download-failed');
  if (download) {
    download.addEventListener('click', function () {
      var columns = download.dataset.columns.split(',');
      var lines = [columns.join(',')];
      rows.forEach(function (r) {
        if (r.status === 'FAILED') {
          lines.push(columns.map(function (c) { return csvField(r[c]); }).join(','));
        }
      });
      var url = URL.createObjectURL(new Blob([lines.join('\n') + '\n'], { type: 'text/csv;charset=utf-8' }));
      var a = document.createElement('a');
      a.href = url;
      a.download = download.dataset.file;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    });
  }

  document.querySelectorAll('header time[datetime]').forEach(function (t) {
    time(t, t.getAttribute('datetime'));
  });
  // state from a back navigation (the browser keeps form fields), then the first page
  state.query = search.value;
  state.sort = sort.value;
  refresh();
  // a link to report.html#row-N shows that row even when it is beyond the first page
  var wanted = /^#row-(\d+)$/.exec(location.hash);
  if (wanted) {
    var index = view.findIndex(function (r) { return String(r.row) === wanted[1]; });
    while (index >= shown) {
      page();
    }
    var target = document.getElementById('row-' + wanted[1]);
    if (target) {
      target.scrollIntoView();
    }
  }
  window.soraReportReady = performance.now();
}());
