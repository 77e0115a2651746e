/*
 * The sweep's line scanner: JSON lines in, candidate observables out.
 *
 * One pass over a buffer of complete lines, without the GIL: every line is validated as a JSON object
 * (RFC 8259 grammar, UTF-8, nesting up to 1024), the mapped top-level fields and the time field are
 * extracted (string escapes decoded), and each value goes through a cheap test that never misses a
 * match: a domain whose name or a parent domain is in the indicator set, a URL whose host is the host of
 * an indicator URL, an IPv4 address that is an indicator or inside an indicator range, a hash, e-mail
 * address or file name that is in the set after trimming and lower-casing. Anything unusual (non-ASCII,
 * IPv6 or bracketed forms, user info in a URL, ...) is a candidate too. Candidates are confirmed in
 * Python by the platform's own normalisation, so this file decides only what is certainly no match.
 *
 * Values that are objects or arrays, and strings with lone surrogate escapes, send the whole line to
 * the Python path ("slow" lines), which parses it with orjson.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#ifdef __linux__
#include <sys/mman.h>
#endif

enum { K_DOMAIN = 0, K_URL = 1, K_IP = 2, K_HASH = 3, K_FILENAME = 4, K_EMAIL = 5, K_TIME = 6 };
#define MAX_FIELDS 32
#define MAX_DEPTH 1024
#define MAX_EXAMPLES 20
#define EXAMPLE_BYTES 200

/* ------------------------------------------------------------------------------------------------ */
/* A set of byte strings: open addressing over 64-bit hashes, keys kept in one arena.              */

typedef struct {
    uint64_t h;
    size_t off;
    size_t len;
} Slot;

typedef struct {
    Slot *slots;
    size_t mask;
    size_t n;
    char *arena;
    size_t used, cap;
    uint64_t *bits; /* a one-hash Bloom filter, ~32 bits per key: small enough to stay in the cache */
    uint64_t bits_mask;
} StrSet;

static inline uint64_t mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static inline uint64_t hash_bytes(const unsigned char *p, size_t n) {
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = mix(h ^ w);
    return h | 1; /* 0 marks an empty slot */
}

/* Zeroed memory for the large tables, on huge pages where the kernel offers them on request: the
   look-ups are random, and with 4 KiB pages most of them would also miss the TLB. */
typedef struct {
    size_t size;
} BigHeader;

static void *big_calloc(size_t size) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    size_t total = size + 64;
    if (total >= (1 << 21)) {
        void *p = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return NULL;
        madvise(p, total, MADV_HUGEPAGE);
        ((BigHeader *)p)->size = total;
        return (char *)p + 64;
    }
#endif
    char *p = PyMem_RawCalloc(1, size + 64);
    if (!p) return NULL;
    ((BigHeader *)p)->size = 0;
    return p + 64;
}

static void big_free(void *q) {
    if (!q) return;
    char *p = (char *)q - 64;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (((BigHeader *)p)->size) {
        munmap(p, ((BigHeader *)p)->size);
        return;
    }
#endif
    PyMem_RawFree(p);
}

static void set_free(StrSet *s) {
    big_free(s->bits);
    big_free(s->slots);
    PyMem_RawFree(s->arena);
    memset(s, 0, sizeof(*s));
}

static int set_init(StrSet *s, size_t expected) {
    size_t cap = 16;
    while (cap < expected * 2 + 16) cap <<= 1;
    s->slots = big_calloc(cap * sizeof(Slot));
    if (!s->slots) return -1;
    s->mask = cap - 1;
    size_t nbits = 1 << 16;
    while (nbits < expected * 32) nbits <<= 1;
    s->bits = big_calloc(nbits / 8);
    if (!s->bits) return -1;
    s->bits_mask = nbits - 1;
    s->n = 0;
    s->arena = NULL;
    s->used = s->cap = 0;
    return 0;
}

static inline int set_contains(const StrSet *s, const unsigned char *p, size_t n) {
    if (!s->n) return 0;
    uint64_t h = hash_bytes(p, n);
    uint64_t bit = (h >> 20) & s->bits_mask;
    if (!(s->bits[bit >> 6] & (1ULL << (bit & 63)))) return 0;
    size_t i = (size_t)h & s->mask;
    for (;;) {
        const Slot *slot = &s->slots[i];
        if (!slot->h) return 0;
        if (slot->h == h && slot->len == n && memcmp(s->arena + slot->off, p, n) == 0) return 1;
        i = (i + 1) & s->mask;
    }
}

static int set_add(StrSet *s, const char *p, size_t n) {
    uint64_t h = hash_bytes((const unsigned char *)p, n);
    size_t i = (size_t)h & s->mask;
    for (;;) {
        Slot *slot = &s->slots[i];
        if (!slot->h) break;
        if (slot->h == h && slot->len == n && memcmp(s->arena + slot->off, p, n) == 0) return 0;
        i = (i + 1) & s->mask;
    }
    if (s->used + n > s->cap) {
        size_t cap = s->cap ? s->cap : 1 << 16;
        while (cap < s->used + n) cap <<= 1;
        char *arena = PyMem_RawRealloc(s->arena, cap);
        if (!arena) return -1;
        s->arena = arena;
        s->cap = cap;
    }
    memcpy(s->arena + s->used, p, n);
    uint64_t bit = (h >> 20) & s->bits_mask;
    s->bits[bit >> 6] |= 1ULL << (bit & 63);
    s->slots[i].h = h;
    s->slots[i].off = s->used;
    s->slots[i].len = n;
    s->used += n;
    s->n++;
    return 0;
}

static int set_fill(StrSet *s, PyObject *values) {
    PyObject *seq = PySequence_Fast(values, "a sequence of str is expected");
    if (!seq) return -1;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq);
    if (set_init(s, (size_t)count) < 0) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    PyObject **items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t k = 0; k < count; k++) {
        Py_ssize_t n;
        const char *p = PyUnicode_AsUTF8AndSize(items[k], &n);
        if (!p) {
            Py_DECREF(seq);
            return -1;
        }
        if (set_add(s, p, (size_t)n) < 0) {
            Py_DECREF(seq);
            PyErr_NoMemory();
            return -1;
        }
    }
    Py_DECREF(seq);
    return 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* The matcher: the indicator sets, built once.                                                     */

typedef struct {
    PyObject_HEAD
    StrSet domains, suffixes, url_hosts, hashes, filenames, emails;
    /* suffixes: the last two labels of every indicator domain. A name can only have an indicator among
       itself and its parents if its own last two labels are in there: one look-up that, on real logs,
       hits the same few cache lines again and again (the registered domains repeat). */
    uint32_t *ipv4; /* sorted */
    size_t n_ipv4;
    uint64_t *v4_starts, *v4_prefix_max; /* CIDR ranges sorted by start; running maximum of the ends */
    size_t n_ranges;
    uint64_t *v4_blocks; /* one bit per /24: an indicator address or range touches it */
} Matcher;

static int copy_buffer(PyObject *obj, void **out, size_t *count, size_t item) {
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0) return -1;
    if (view.len % (Py_ssize_t)item) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "buffer length is not a multiple of the item size");
        return -1;
    }
    *count = (size_t)view.len / item;
    *out = PyMem_RawMalloc(view.len ? (size_t)view.len : 1);
    if (!*out) {
        PyBuffer_Release(&view);
        PyErr_NoMemory();
        return -1;
    }
    memcpy(*out, view.buf, (size_t)view.len);
    PyBuffer_Release(&view);
    return 0;
}

static void Matcher_dealloc(Matcher *self) {
    set_free(&self->domains);
    set_free(&self->suffixes);
    set_free(&self->url_hosts);
    set_free(&self->hashes);
    set_free(&self->filenames);
    set_free(&self->emails);
    PyMem_RawFree(self->ipv4);
    PyMem_RawFree(self->v4_starts);
    PyMem_RawFree(self->v4_prefix_max);
    big_free(self->v4_blocks);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Matcher_init(Matcher *self, PyObject *args, PyObject *kwds) {
    static char *names[] = {"domains", "suffixes", "url_hosts", "hashes", "filenames", "emails",
                            "ipv4", "v4_starts", "v4_prefix_max", NULL};
    PyObject *domains, *suffixes, *url_hosts, *hashes, *filenames, *emails, *ipv4, *starts, *prefix_max;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOOOOOO", names, &domains, &suffixes, &url_hosts,
                                     &hashes, &filenames, &emails, &ipv4, &starts, &prefix_max))
        return -1;
    if (set_fill(&self->domains, domains) < 0 || set_fill(&self->suffixes, suffixes) < 0 ||
        set_fill(&self->url_hosts, url_hosts) < 0 ||
        set_fill(&self->hashes, hashes) < 0 || set_fill(&self->filenames, filenames) < 0 ||
        set_fill(&self->emails, emails) < 0)
        return -1;
    size_t n_prefix;
    if (copy_buffer(ipv4, (void **)&self->ipv4, &self->n_ipv4, 4) < 0 ||
        copy_buffer(starts, (void **)&self->v4_starts, &self->n_ranges, 8) < 0 ||
        copy_buffer(prefix_max, (void **)&self->v4_prefix_max, &n_prefix, 8) < 0)
        return -1;
    if (n_prefix != self->n_ranges) {
        PyErr_SetString(PyExc_ValueError, "v4_starts and v4_prefix_max differ in length");
        return -1;
    }
    self->v4_blocks = big_calloc((1 << 24) / 8);
    if (!self->v4_blocks) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t k = 0; k < self->n_ipv4; k++) {
        uint32_t b = self->ipv4[k] >> 8;
        self->v4_blocks[b >> 6] |= 1ULL << (b & 63);
    }
    /* a range covers the /24 blocks from its start's to its end's (ends: the running maximum never
       lies below a range's own end, and the end of range k is at most v4_prefix_max[k]) */
    for (size_t k = 0; k < self->n_ranges; k++) {
        uint64_t first = self->v4_starts[k] >> 8;
        uint64_t last = (k + 1 < self->n_ranges && self->v4_prefix_max[k] >= self->v4_starts[k + 1])
                            ? self->v4_starts[k + 1] >> 8
                            : self->v4_prefix_max[k] >> 8;
        if (last > (1 << 24) - 1) last = (1 << 24) - 1;
        for (uint64_t b = first; b <= last; b++) self->v4_blocks[b >> 6] |= 1ULL << (b & 63);
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* The tests that decide a value cannot match.                                                      */

static inline unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* A host-name byte lower-cased, or 0 for any other byte (non-ASCII, white space, ...). */
static unsigned char HOST_BYTE[256];

static void init_tables(void) {
    for (int c = 0; c < 256; c++) {
        unsigned char l = lower((unsigned char)c);
        HOST_BYTE[c] = ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '.' || l == '-' || l == '_')
                           ? l
                           : 0;
    }
}

/* Lower-case a host name into `buf` (at least n + 16 bytes); 0 when every byte is a plain host-name
   byte and no dot leads or doubles, else 1 (the platform's normalisation decides). */
static int lower_host(const unsigned char *v, size_t n, unsigned char *buf) {
    size_t i = 0;
    int previous_dot = 1; /* a dot at the start counts as doubled */
#ifdef __SSE2__
    const __m128i upper_lo = _mm_set1_epi8('A' - 1), upper_hi = _mm_set1_epi8('Z' + 1);
    const __m128i lower_lo = _mm_set1_epi8('a' - 1), lower_hi = _mm_set1_epi8('z' + 1);
    const __m128i digit_lo = _mm_set1_epi8('0' - 1), digit_hi = _mm_set1_epi8('9' + 1);
    const __m128i dot = _mm_set1_epi8('.'), dash = _mm_set1_epi8('-'), under = _mm_set1_epi8('_');
    const __m128i bit5 = _mm_set1_epi8(0x20);
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(v + i));
        __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(x, upper_lo), _mm_cmplt_epi8(x, upper_hi));
        x = _mm_or_si128(x, _mm_and_si128(upper, bit5));
        __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(x, lower_lo), _mm_cmplt_epi8(x, lower_hi));
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, digit_lo), _mm_cmplt_epi8(x, digit_hi));
        __m128i dots = _mm_cmpeq_epi8(x, dot);
        __m128i ok = _mm_or_si128(_mm_or_si128(letter, digit),
                                  _mm_or_si128(dots, _mm_or_si128(_mm_cmpeq_epi8(x, dash), _mm_cmpeq_epi8(x, under))));
        if (_mm_movemask_epi8(ok) != 0xFFFF) return 1;
        unsigned mask = (unsigned)_mm_movemask_epi8(dots);
        unsigned doubled = mask & ((mask << 1) | (unsigned)previous_dot);
        if (i + 16 == n) doubled &= ~(1u << 15); /* trailing dots are stripped, not doubled */
        if (doubled) {
            /* a dot after a dot is allowed only among the trailing dots */
            unsigned first = (unsigned)__builtin_ctz(doubled);
            for (size_t k = i + first; k < n; k++)
                if (v[k] != '.') return 1;
        }
        previous_dot = (mask >> 15) & 1;
        _mm_storeu_si128((__m128i *)(buf + i), x);
    }
#endif
    for (; i < n; i++) {
        unsigned char c = HOST_BYTE[v[i]];
        if (!c) return 1;
        if (c == '.' && previous_dot && i + 1 < n) {
            for (size_t k = i; k < n; k++)
                if (v[k] != '.') return 1;
        }
        previous_dot = c == '.';
        buf[i] = c;
    }
    return 0;
}

static int domain_candidate(const Matcher *m, const unsigned char *v, size_t n) {
    unsigned char buf[512 + 16];
    if (!n || !m->domains.n) return 0;
    if (n > 512) return 1;
    if (lower_host(v, n, buf)) return 1;
    while (n && buf[n - 1] == '.') n--;
    /* the last two labels first */
    size_t last = n, dots = 0;
    while (last > 0) {
        if (buf[last - 1] == '.' && ++dots == 2) break;
        last--;
    }
    if (dots == 0) return 0; /* a single label is no domain */
    if (!set_contains(&m->suffixes, buf + last, n - last)) return 0;
    /* the name and each parent domain with at least two labels (as the confirmation walks them) */
    size_t p = 0;
    while (p < n) {
        const unsigned char *dot = memchr(buf + p, '.', n - p);
        if (!dot) break;
        if (set_contains(&m->domains, buf + p, n - p)) return 1;
        p = (size_t)(dot - buf) + 1;
    }
    return 0;
}

static int url_candidate(const Matcher *m, const unsigned char *v, size_t n) {
    unsigned char buf[512];
    if (!m->url_hosts.n) return 0;
    size_t i = 0;
    size_t k = 0;
#ifdef __SSE2__
    const __m128i backslash = _mm_set1_epi8('\\'), zero = _mm_setzero_si128();
    for (; k + 16 <= n; k += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(v + k));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(x, zero), _mm_cmpeq_epi8(x, backslash)))) return 1;
    }
#endif
    for (; k < n; k++)
        if (v[k] >= 0x80 || v[k] == '\\') return 1;
    while (i < n && ((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
                     (v[i] >= '0' && v[i] <= '9') || v[i] == '+' || v[i] == '-' || v[i] == '.'))
        i++;
    if (i == 0 || i + 3 > n || memcmp(v + i, "://", 3) != 0) return 1; /* no plain scheme */
    i += 3;
    size_t start = i;
#ifdef __SSE2__
    {
        const __m128i slash = _mm_set1_epi8('/'), query = _mm_set1_epi8('?'), hash = _mm_set1_epi8('#');
        const __m128i at = _mm_set1_epi8('@'), bracket = _mm_set1_epi8('['), percent = _mm_set1_epi8('%');
        const __m128i space = _mm_set1_epi8(' ');
        while (i + 16 <= n) {
            __m128i x = _mm_loadu_si128((const __m128i *)(v + i));
            unsigned stop = (unsigned)_mm_movemask_epi8(_mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(x, slash), _mm_cmpeq_epi8(x, query)), _mm_cmpeq_epi8(x, hash)));
            unsigned bad = (unsigned)_mm_movemask_epi8(
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, at), _mm_cmpeq_epi8(x, bracket)),
                             _mm_or_si128(_mm_cmpeq_epi8(x, percent), _mm_cmpeq_epi8(x, space))));
            if (stop) {
                unsigned first = (unsigned)__builtin_ctz(stop);
                if (bad & ((1u << first) - 1)) return 1;
                i += first;
                goto authority_done;
            }
            if (bad) return 1;
            i += 16;
        }
    }
#endif
    while (i < n && v[i] != '/' && v[i] != '?' && v[i] != '#') {
        if (v[i] == '@' || v[i] == '[' || v[i] == '%' || v[i] == ' ') return 1;
        i++;
    }
#ifdef __SSE2__
authority_done:
#endif
    size_t end = start;
    while (end < i && v[end] != ':') end++;
    size_t len = end - start;
    if (len > sizeof(buf)) return 1;
    for (size_t k = 0; k < len; k++) buf[k] = lower(v[start + k]);
    while (len && buf[len - 1] == '.') len--;
    return set_contains(&m->url_hosts, buf, len);
}

static int ipv4_listed(const Matcher *m, uint32_t a) {
    uint32_t block = a >> 8;
    if (!(m->v4_blocks[block >> 6] & (1ULL << (block & 63)))) return 0;
    size_t lo = 0, hi = m->n_ipv4;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->ipv4[mid] < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m->n_ipv4 && m->ipv4[lo] == a) return 1;
    /* the last range starting at or before a; inside one iff the running maximum end reaches a */
    lo = 0;
    hi = m->n_ranges;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->v4_starts[mid] <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && m->v4_prefix_max[lo - 1] >= a;
}

static int ip_candidate(const Matcher *m, const unsigned char *v, size_t n) {
    while (n && v[0] == ' ') v++, n--;
    while (n && v[n - 1] == ' ') n--;
    uint32_t address = 0;
    size_t i = 0;
    int octets = 0;
    while (octets < 4) {
        size_t digits = 0;
        uint32_t octet = 0;
        while (i < n && v[i] >= '0' && v[i] <= '9' && digits < 4) octet = octet * 10 + (v[i++] - '0'), digits++;
        if (!digits || digits > 3 || octet > 255) break;
        address = (address << 8) | octet;
        octets++;
        if (octets < 4) {
            if (i >= n || v[i] != '.') break;
            i++;
        }
    }
    if (octets == 4 && i == n) return ipv4_listed(m, address);
    /* Not a dotted quad: only IPv6, bracketed or zoned forms (or non-ASCII) can be addresses. */
    for (size_t k = 0; k < n; k++)
        if (v[k] == ':' || v[k] == '[' || v[k] == '%' || v[k] >= 0x80) return 1;
    return 0;
}

static int exact_candidate(const StrSet *s, const unsigned char *v, size_t n) {
    unsigned char buf[512];
    if (!s->n) return 0;
    while (n && v[0] == ' ') v++, n--;
    while (n && v[n - 1] == ' ') n--;
    if (n > sizeof(buf)) return 1;
    for (size_t i = 0; i < n; i++) {
        if (v[i] >= 0x80) return 1;
        buf[i] = lower(v[i]);
    }
    return set_contains(s, buf, n);
}

static int filename_candidate(const Matcher *m, const unsigned char *v, size_t n) {
    size_t start = n;
    while (start && v[start - 1] != '/' && v[start - 1] != '\\') start--;
    if (start == n) return 0; /* nothing after the last separator */
    return exact_candidate(&m->filenames, v + start, n - start);
}

/* ------------------------------------------------------------------------------------------------ */
/* Results, gathered without the GIL.                                                              */

typedef struct {
    size_t line;
    int field;
    size_t value_off, value_len; /* in the value arena */
    int has_time;
    size_t time_off, time_len;
} Candidate;

typedef struct {
    size_t line;
    size_t off, len; /* in the buffer */
} Span;

typedef struct {
    Candidate *items;
    size_t n, cap;
} Candidates;

typedef struct {
    Span *items;
    size_t n, cap;
} Spans;

typedef struct {
    char *data;
    size_t used, cap;
} Arena;

static int push_candidate(Candidates *c, Candidate item) {
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        Candidate *items = PyMem_RawRealloc(c->items, cap * sizeof(Candidate));
        if (!items) return -1;
        c->items = items;
        c->cap = cap;
    }
    c->items[c->n++] = item;
    return 0;
}

static int push_span(Spans *s, Span item) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        Span *items = PyMem_RawRealloc(s->items, cap * sizeof(Span));
        if (!items) return -1;
        s->items = items;
        s->cap = cap;
    }
    s->items[s->n++] = item;
    return 0;
}

static int arena_reserve(Arena *a, size_t n) {
    if (a->used + n <= a->cap) return 0;
    size_t cap = a->cap ? a->cap : 1 << 16;
    while (cap < a->used + n) cap <<= 1;
    char *data = PyMem_RawRealloc(a->data, cap);
    if (!data) return -1;
    a->data = data;
    a->cap = cap;
    return 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* JSON: validation of one line, and the top-level members it is asked for.                         */

typedef struct {
    const unsigned char *p, *end;
    int high;                    /* a byte >= 0x80 was seen inside a string */
    const unsigned char *limit; /* the end of the whole buffer: 16-byte loads may go up to it */
} Cursor;

static const unsigned char *skip_ws(const unsigned char *p, const unsigned char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    return p;
}

static inline int hexval(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = lower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* p at the opening quote; on success p after the closing quote, *escaped set when a backslash occurs */
static inline __attribute__((always_inline)) int scan_string(Cursor *c, const unsigned char **start, const unsigned char **stop, int *escaped) {
    const unsigned char *p = c->p + 1, *end = c->end;
    *start = p;
    *escaped = 0;
    for (;;) {
#ifdef __SSE2__
        /* 16 bytes at a time: a quote, a backslash, or a byte below 0x20 or above 0x7f (as signed
           bytes, both are below 0x20) ends the plain run */
        const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
        /* Loads may run past the line's end inside the buffer: a hit there (at the latest its
           newline, a control byte) leaves p >= end, which fails as an unterminated string. */
        while (c->limit - p >= 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)p);
            __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                                       _mm_cmplt_epi8(x, space));
            int mask = _mm_movemask_epi8(hit);
            if (mask) {
                p += __builtin_ctz((unsigned)mask);
                break;
            }
            p += 16;
        }
#endif
        if (p >= end) return -1;
        while (p < end && *p != '"' && *p != '\\' && *p >= 0x20 && *p < 0x80) p++;
        if (p >= end) return -1;
        unsigned char ch = *p;
        if (ch == '"') break;
        if (ch < 0x20) return -1;
        if (ch >= 0x80) {
            c->high = 1;
            p++;
            continue;
        }
        /* backslash */
        *escaped = 1;
        if (p + 1 >= end) return -1;
        unsigned char e = p[1];
        if (e == 'u') {
            if (p + 6 > end) return -1;
            for (int k = 2; k < 6; k++)
                if (hexval(p[k]) < 0) return -1;
            p += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
                   e == 't') {
            p += 2;
        } else {
            return -1;
        }
    }
    *stop = p;
    c->p = p + 1;
    return 0;
}

static int scan_number(Cursor *c) {
    const unsigned char *p = c->p, *end = c->end;
    if (p < end && *p == '-') p++;
    if (p >= end) return -1;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (p < end && *p >= '0' && *p <= '9') p++;
    } else {
        return -1;
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end || *p < '0' || *p > '9') return -1;
        while (p < end && *p >= '0' && *p <= '9') p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        if (p >= end || *p < '0' || *p > '9') return -1;
        while (p < end && *p >= '0' && *p <= '9') p++;
    }
    c->p = p;
    return 0;
}

static int scan_literal(Cursor *c, const char *word, size_t n) {
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0) return -1;
    c->p += n;
    return 0;
}

/* Any value, iteratively for objects and arrays (a stack of open containers). */
static int scan_value(Cursor *c) {
    unsigned char stack[MAX_DEPTH];
    int depth = 0;
    const unsigned char *s, *e;
    int escaped;
    for (;;) {
        c->p = skip_ws(c->p, c->end);
        if (c->p >= c->end) return -1;
        unsigned char ch = *c->p;
        /* a value */
        if (ch == '{' || ch == '[') {
            if (depth >= MAX_DEPTH - 1) return -1;
            stack[depth++] = ch;
            c->p = skip_ws(c->p + 1, c->end);
            if (c->p >= c->end) return -1;
            if (*c->p == (ch == '{' ? '}' : ']')) {
                c->p++;
                depth--;
                goto close;
            }
            if (ch == '{') {
                if (*c->p != '"' || scan_string(c, &s, &e, &escaped) < 0) return -1;
                c->p = skip_ws(c->p, c->end);
                if (c->p >= c->end || *c->p != ':') return -1;
                c->p++;
            }
            continue;
        } else if (ch == '"') {
            if (scan_string(c, &s, &e, &escaped) < 0) return -1;
        } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
            if (scan_number(c) < 0) return -1;
        } else if (ch == 't') {
            if (scan_literal(c, "true", 4) < 0) return -1;
        } else if (ch == 'f') {
            if (scan_literal(c, "false", 5) < 0) return -1;
        } else if (ch == 'n') {
            if (scan_literal(c, "null", 4) < 0) return -1;
        } else {
            return -1;
        }
    close:
        /* after a value: a separator, or the end of the open container(s) */
        for (;;) {
            if (!depth) return 0;
            c->p = skip_ws(c->p, c->end);
            if (c->p >= c->end) return -1;
            unsigned char top = stack[depth - 1];
            if (*c->p == ',') {
                c->p++;
                if (top == '{') {
                    c->p = skip_ws(c->p, c->end);
                    if (c->p >= c->end || *c->p != '"' || scan_string(c, &s, &e, &escaped) < 0) return -1;
                    c->p = skip_ws(c->p, c->end);
                    if (c->p >= c->end || *c->p != ':') return -1;
                    c->p++;
                }
                break; /* the next value */
            }
            if (*c->p == (top == '{' ? '}' : ']')) {
                c->p++;
                depth--;
                continue;
            }
            return -1;
        }
    }
}

static int valid_utf8(const unsigned char *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char ch = p[i];
        if (ch < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t cp;
        if (ch >= 0xC2 && ch <= 0xDF) {
            need = 1;
            cp = ch & 0x1F;
        } else if (ch >= 0xE0 && ch <= 0xEF) {
            need = 2;
            cp = ch & 0x0F;
        } else if (ch >= 0xF0 && ch <= 0xF4) {
            need = 3;
            cp = ch & 0x07;
        } else {
            return 0;
        }
        if (i + need >= n) return 0;
        for (size_t k = 1; k <= need; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += need + 1;
    }
    return 1;
}

/* Decode a JSON string body into the arena; -1 on a lone surrogate (the line goes to Python). */
static int unescape(Arena *a, const unsigned char *s, const unsigned char *e, size_t *off, size_t *len) {
    if (arena_reserve(a, (size_t)(e - s) + 4) < 0) return -2;
    char *out = a->data + a->used;
    char *o = out;
    while (s < e) {
        if (*s != '\\') {
            *o++ = (char)*s++;
            continue;
        }
        unsigned char ch = s[1];
        s += 2;
        switch (ch) {
            case 'b': *o++ = '\b'; break;
            case 'f': *o++ = '\f'; break;
            case 'n': *o++ = '\n'; break;
            case 'r': *o++ = '\r'; break;
            case 't': *o++ = '\t'; break;
            case 'u': {
                uint32_t cp = (uint32_t)((hexval(s[0]) << 12) | (hexval(s[1]) << 8) | (hexval(s[2]) << 4) |
                                         hexval(s[3]));
                s += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (e - s < 6 || s[0] != '\\' || s[1] != 'u') return -1;
                    uint32_t lo = (uint32_t)((hexval(s[2]) << 12) | (hexval(s[3]) << 8) |
                                             (hexval(s[4]) << 4) | hexval(s[5]));
                    if (lo < 0xDC00 || lo > 0xDFFF) return -1;
                    s += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return -1;
                }
                if (cp < 0x80) {
                    *o++ = (char)cp;
                } else if (cp < 0x800) {
                    *o++ = (char)(0xC0 | (cp >> 6));
                    *o++ = (char)(0x80 | (cp & 0x3F));
                } else if (cp < 0x10000) {
                    *o++ = (char)(0xE0 | (cp >> 12));
                    *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                    *o++ = (char)(0x80 | (cp & 0x3F));
                } else {
                    *o++ = (char)(0xF0 | (cp >> 18));
                    *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
                    *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                    *o++ = (char)(0x80 | (cp & 0x3F));
                }
                break;
            }
            default: *o++ = (char)ch; /* " \ / */
        }
    }
    *off = a->used;
    *len = (size_t)(o - out);
    return 0;
}

typedef struct {
    const char *name;
    size_t len;
    int kind;
} Field;

typedef struct {
    const unsigned char *start, *stop; /* the raw value (string body without quotes) */
    int type;                          /* 0 absent or null, 's' string, 'r' raw scalar */
    int escaped;
} Found;

enum { LINE_OK = 0, LINE_MALFORMED = 1, LINE_SLOW = 2 };

/* Validate one (trimmed, non-empty) line; fill `found` for the wanted top-level members. */
static int scan_line(const unsigned char *p, const unsigned char *end, const unsigned char *limit,
                     const Field *fields, int nfields, Found *found) {
    Cursor c = {p, end, 0, limit};
    int slow = 0;
    for (int k = 0; k < nfields; k++) found[k].type = 0;
    if (*c.p != '{') return LINE_MALFORMED;
    c.p = skip_ws(c.p + 1, c.end);
    if (c.p >= c.end) return LINE_MALFORMED;
    if (*c.p == '}') {
        c.p++;
    } else {
        for (;;) {
            const unsigned char *ks, *ke;
            int kesc;
            if (c.p >= c.end || *c.p != '"' || scan_string(&c, &ks, &ke, &kesc) < 0) return LINE_MALFORMED;
            c.p = skip_ws(c.p, c.end);
            if (c.p >= c.end || *c.p != ':') return LINE_MALFORMED;
            c.p = skip_ws(c.p + 1, c.end);
            if (c.p >= c.end) return LINE_MALFORMED;
            int which = -1;
            if (!kesc) {
                size_t kn = (size_t)(ke - ks);
                for (int k = 0; k < nfields; k++)
                    if (fields[k].len == kn && (!kn || fields[k].name[0] == (char)ks[0]) &&
                        memcmp(fields[k].name, ks, kn) == 0) {
                        which = k; /* the last one wins, as in orjson; the time may also be a field */
                        found[k].type = -1;
                    }
            } else {
                slow = 1; /* an escaped key: let the JSON library compare it */
            }
            const unsigned char *vs = c.p;
            unsigned char ch = *c.p;
            int type;
            const unsigned char *s = NULL, *e = NULL;
            int vesc = 0;
            if (ch == '"') {
                if (scan_string(&c, &s, &e, &vesc) < 0) return LINE_MALFORMED;
                type = 's';
            } else {
                if (scan_value(&c) < 0) return LINE_MALFORMED;
                type = (ch == '{' || ch == '[') ? 'c' : (ch == 'n' ? 0 : 'r');
                s = vs;
                e = c.p;
            }
            if (which >= 0) {
                for (int k = 0; k < nfields; k++) {
                    if (found[k].type != -1) continue;
                    if (type == 'c') slow = 1;
                    found[k].type = type == 'c' ? 0 : type;
                    found[k].start = s;
                    found[k].stop = e;
                    found[k].escaped = vesc;
                }
            }
            c.p = skip_ws(c.p, c.end);
            if (c.p >= c.end) return LINE_MALFORMED;
            if (*c.p == ',') {
                c.p = skip_ws(c.p + 1, c.end);
                continue;
            }
            if (*c.p == '}') {
                c.p++;
                break;
            }
            return LINE_MALFORMED;
        }
    }
    c.p = skip_ws(c.p, c.end);
    if (c.p != c.end) return LINE_MALFORMED;
    if (c.high && !valid_utf8(p, (size_t)(end - p))) return LINE_MALFORMED;
    return slow ? LINE_SLOW : LINE_OK;
}

static inline int is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int candidate(const Matcher *m, int kind, const unsigned char *v, size_t n) {
    switch (kind) {
        case K_DOMAIN: return domain_candidate(m, v, n);
        case K_URL: return url_candidate(m, v, n);
        case K_IP: return ip_candidate(m, v, n);
        case K_HASH: return exact_candidate(&m->hashes, v, n);
        case K_FILENAME: return filename_candidate(m, v, n);
        case K_EMAIL: return exact_candidate(&m->emails, v, n);
        default: return 0;
    }
}

/* ------------------------------------------------------------------------------------------------ */
/* Matcher.scan(buffer, fields, time) -> (lines, events, malformed, examples, candidates, slow)      */

static PyObject *Matcher_scan(Matcher *self, PyObject *args) {
    Py_buffer view;
    PyObject *field_list;
    const char *time_name;
    Py_ssize_t time_len;
    if (!PyArg_ParseTuple(args, "y*Os#", &view, &field_list, &time_name, &time_len)) return NULL;

    Field fields[MAX_FIELDS + 1];
    PyObject *seq = PySequence_Fast(field_list, "fields must be a sequence of (name, kind)");
    if (!seq) {
        PyBuffer_Release(&view);
        return NULL;
    }
    Py_ssize_t nf = PySequence_Fast_GET_SIZE(seq);
    if (nf > MAX_FIELDS) {
        Py_DECREF(seq);
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "too many fields");
        return NULL;
    }
    for (Py_ssize_t k = 0; k < nf; k++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, k);
        const char *name;
        Py_ssize_t len;
        int kind;
        if (!PyArg_ParseTuple(item, "s#i", &name, &len, &kind)) {
            Py_DECREF(seq);
            PyBuffer_Release(&view);
            return NULL;
        }
        fields[k].name = name;
        fields[k].len = (size_t)len;
        fields[k].kind = kind;
    }
    fields[nf].name = time_name;
    fields[nf].len = (size_t)time_len;
    fields[nf].kind = K_TIME;
    int nfields = (int)nf + 1;

    const unsigned char *buf = view.buf;
    size_t n = (size_t)view.len;
    size_t lines = 0, events = 0, malformed = 0;
    Candidates cands = {0};
    Spans examples = {0}, slow = {0};
    Arena arena = {0};
    int failed = 0;
    Found found[MAX_FIELDS + 1];

    Py_BEGIN_ALLOW_THREADS
    size_t pos = 0;
    while (pos < n && !failed) {
        const unsigned char *start = buf + pos;
        const unsigned char *nl = memchr(start, '\n', n - pos);
        const unsigned char *stop = nl ? nl : buf + n;
        pos = (size_t)(stop - buf) + 1;
        lines++;
        const unsigned char *a = start, *b = stop;
        while (a < b && is_space(*a)) a++;
        while (b > a && is_space(b[-1])) b--;
        if (a == b) continue; /* a blank line is no event */
        int verdict = scan_line(a, b, buf + n, fields, nfields, found);
        if (verdict == LINE_MALFORMED) {
            malformed++;
            if (examples.n < MAX_EXAMPLES) {
                size_t len = (size_t)(b - a);
                Span span = {lines, (size_t)(a - buf), len < EXAMPLE_BYTES ? len : EXAMPLE_BYTES};
                if (push_span(&examples, span) < 0) failed = 1;
            }
            continue;
        }
        events++;
        if (verdict == LINE_SLOW) {
            Span span = {lines, (size_t)(a - buf), (size_t)(b - a)};
            if (push_span(&slow, span) < 0) failed = 1;
            continue;
        }
        /* decode the escaped strings, then test the values where they are */
        size_t mark = arena.used;
        size_t offs[MAX_FIELDS + 1], lens[MAX_FIELDS + 1]; /* set where `where` is not 0 */
        int where[MAX_FIELDS + 1]; /* 0 absent, 1 in the buffer, 2 in the arena */
        int lone = 0;
        for (int k = 0; k < nfields; k++) {
            where[k] = 0;
            offs[k] = lens[k] = 0;
            if (!found[k].type) continue;
            if (found[k].type == 's' && found[k].escaped) {
                int r = unescape(&arena, found[k].start, found[k].stop, &offs[k], &lens[k]);
                if (r == -2) {
                    failed = 1;
                    break;
                }
                if (r == -1) {
                    lone = 1;
                    break;
                }
                arena.used += lens[k];
                where[k] = 2;
            } else {
                offs[k] = (size_t)(found[k].start - buf);
                lens[k] = (size_t)(found[k].stop - found[k].start);
                where[k] = 1;
            }
        }
        if (failed) break;
        if (lone) {
            arena.used = mark;
            Span span = {lines, (size_t)(a - buf), (size_t)(b - a)};
            if (push_span(&slow, span) < 0) failed = 1;
            continue;
        }
        int kept = 0;
        for (int k = 0; k < nfields && !failed; k++) {
            if (k == nfields - 1 || !where[k]) continue;
            const unsigned char *value =
                where[k] == 2 ? (const unsigned char *)arena.data + offs[k] : buf + offs[k];
            if (!candidate(self, fields[k].kind, value, lens[k])) continue;
            /* keep the value, and the time, in the arena (the buffer is not kept) */
            for (int j = 0; j < 2; j++) {
                int t = j ? nfields - 1 : k;
                if (where[t] != 1) continue;
                if (arena_reserve(&arena, lens[t]) < 0) {
                    failed = 1;
                    break;
                }
                memcpy(arena.data + arena.used, buf + offs[t], lens[t]);
                offs[t] = arena.used;
                arena.used += lens[t];
                where[t] = 2;
            }
            if (failed) break;
            Candidate item = {lines, k, offs[k], lens[k], where[nfields - 1] != 0, offs[nfields - 1],
                              lens[nfields - 1]};
            if (push_candidate(&cands, item) < 0) failed = 1;
            kept = 1;
        }
        if (!kept) arena.used = mark; /* nothing of this line is needed */
    }
    Py_END_ALLOW_THREADS

    Py_DECREF(seq);
    PyObject *result = NULL, *ex = NULL, *cl = NULL, *sl = NULL;
    if (failed) {
        PyErr_NoMemory();
        goto done;
    }
    ex = PyList_New((Py_ssize_t)examples.n);
    cl = PyList_New((Py_ssize_t)cands.n);
    sl = PyList_New((Py_ssize_t)slow.n);
    if (!ex || !cl || !sl) goto done;
    for (size_t k = 0; k < examples.n; k++) {
        Span s = examples.items[k];
        PyObject *t = Py_BuildValue("(nN)", (Py_ssize_t)s.line,
                                    PyUnicode_DecodeUTF8((const char *)buf + s.off, (Py_ssize_t)s.len, "replace"));
        if (!t) goto done;
        PyList_SET_ITEM(ex, (Py_ssize_t)k, t);
    }
    for (size_t k = 0; k < cands.n; k++) {
        Candidate c = cands.items[k];
        PyObject *value = PyUnicode_DecodeUTF8(arena.data + c.value_off, (Py_ssize_t)c.value_len, "replace");
        PyObject *when;
        if (c.has_time) {
            when = PyUnicode_DecodeUTF8(arena.data + c.time_off, (Py_ssize_t)c.time_len, "replace");
        } else {
            when = Py_None;
            Py_INCREF(when);
        }
        PyObject *t = (value && when) ? Py_BuildValue("(niNN)", (Py_ssize_t)c.line, c.field, value, when) : NULL;
        if (!t) {
            Py_XDECREF(value);
            Py_XDECREF(when);
            goto done;
        }
        PyList_SET_ITEM(cl, (Py_ssize_t)k, t);
    }
    for (size_t k = 0; k < slow.n; k++) {
        Span s = slow.items[k];
        PyObject *t = Py_BuildValue("(ny#)", (Py_ssize_t)s.line, (const char *)buf + s.off, (Py_ssize_t)s.len);
        if (!t) goto done;
        PyList_SET_ITEM(sl, (Py_ssize_t)k, t);
    }
    result = Py_BuildValue("(nnnOOO)", (Py_ssize_t)lines, (Py_ssize_t)events, (Py_ssize_t)malformed, ex, cl, sl);
done:
    Py_XDECREF(ex);
    Py_XDECREF(cl);
    Py_XDECREF(sl);
    PyMem_RawFree(cands.items);
    PyMem_RawFree(examples.items);
    PyMem_RawFree(slow.items);
    PyMem_RawFree(arena.data);
    PyBuffer_Release(&view);
    return result;
}

static PyMethodDef Matcher_methods[] = {
    {"scan", (PyCFunction)Matcher_scan, METH_VARARGS,
     "scan(buffer, fields, time) -> (lines, events, malformed, examples, candidates, slow)"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject MatcherType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "qalxan.intel.sweep._scan.Matcher",
    .tp_basicsize = sizeof(Matcher),
    .tp_dealloc = (destructor)Matcher_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The indicator sets of a sweep, and the scan of a buffer of JSON lines against them.",
    .tp_methods = Matcher_methods,
    .tp_init = (initproc)Matcher_init,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "_scan", .m_doc = "The sweep's line scanner.", .m_size = -1,
};

PyMODINIT_FUNC PyInit__scan(void) {
    init_tables();
    if (PyType_Ready(&MatcherType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&MatcherType);
    if (PyModule_AddObject(m, "Matcher", (PyObject *)&MatcherType) < 0) {
        Py_DECREF(&MatcherType);
        Py_DECREF(m);
        return NULL;
    }
    PyModule_AddIntConstant(m, "DOMAIN", K_DOMAIN);
    PyModule_AddIntConstant(m, "URL", K_URL);
    PyModule_AddIntConstant(m, "IP", K_IP);
    PyModule_AddIntConstant(m, "HASH", K_HASH);
    PyModule_AddIntConstant(m, "FILENAME", K_FILENAME);
    PyModule_AddIntConstant(m, "EMAIL", K_EMAIL);
    return m;
}
