"""Full-text search: BM25 over every article's headline and body, stemmed in the article's language.

DuckDB's FTS extension (`duckdb-extension-fts`, loaded offline from its package) gives the
Snowball stemmers; the index itself is ours, in schema `search`, because the extension's
`PRAGMA create_fts_index` takes one stemmer per index and, measured on this machine
(docs/performance.md), took 30 s to index 80k short articles and 100-300 ms per query at that
size, where these tables take seconds to build and tens of milliseconds to query at 1M.

Tables (derived data, rebuilt whole by `build`, never migrated; dropping the schema loses nothing):

* `search.docs(docid, article_id, len)`: one row per article, `len` its number of tokens;
* `search.dict(termid, stemmer, term, df)`: each stem under each stemmer, with its document frequency;
* `search.postings(termid, docid, tf, len)`: sorted by termid, so a query reads only the row groups
  of its terms (zone maps); `len` repeats the document's so scoring needs no join;
* `search.meta(n_docs, avgdl, n_articles, stemmers, built_at, layout)`: what the index was built
  from, and the layout of these tables (`LAYOUT`).

Articles are only ever inserted (never updated or deleted: a changed text is a new article id),
so the index is fresh exactly when `n_articles` equals `count(*)` of articles. A missing or stale
index is never used: `keyword_article_ids` and `fulltext_scores` then compute the same answer by
scanning the articles (slower), and say so through `on_fallback`.

Tokens: lower-cased, split on anything but letters and digits; each token stemmed by its
article's language (`STEMMERS`; languages without a Snowball stemmer are not stemmed) and then
stripped of accents, so "élections" and "elections" match. A query is tokenised the same way and
stemmed under every stemmer in the index; an article matches a query word under its own stemmer.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import duckdb

#: ISO 639-1 -> Snowball stemmer of DuckDB's FTS extension; any other language: "none".
STEMMERS = {
    "ar": "arabic", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch", "en": "english",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian",
    "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian",
    "nb": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish",
}  # fmt: skip

#: Layout of the `search` tables; an index of another layout is stale (rebuilt by the next night).
LAYOUT = 2

#: BM25 parameters, the FTS extension's defaults.
K1 = 1.2
B = 0.75

_SPLIT = r"[^\p{L}\p{N}]+"


def extension_path(name: str) -> str:
    """The `.duckdb_extension` file inside the installed `duckdb-extension-<name>` package."""
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"DuckDB extension {name} is not installed: pip install duckdb-extension-{name}==1.5.5")
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).rglob(f"{name}.duckdb_extension"))
        if found:
            return str(found[0])
    raise RuntimeError(f"duckdb-extension-{name} is installed but holds no {name}.duckdb_extension")


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """LOAD an extension from its package (offline: never INSTALL from the network)."""
    loaded = con.execute("SELECT loaded FROM duckdb_extensions() WHERE extension_name = ?", [name]).fetchone()
    if not (loaded and loaded[0]):
        con.execute(f"LOAD '{extension_path(name)}'")


def _stemmer_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{code}' THEN '{stem}'" for code, stem in sorted(STEMMERS.items()))
    return f"CASE lower({column}) {cases} ELSE 'none' END"


def _tokens_sql(articles: str = "articles") -> str:
    """(article_id, stemmer, token, tf) of every article of `articles` (a table or subquery): the one
    tokenisation the index, its appends and the scan share."""
    return (
        "SELECT article_id, stemmer, token, count(*)::INTEGER AS tf FROM ("
        f"SELECT article_id, {_stemmer_sql('language')} AS stemmer, "
        f"unnest(regexp_split_to_array(lower(coalesce(headline, '') || ' ' || coalesce(body, '')), '{_SPLIT}')) AS token "
        f"FROM {articles}) WHERE token <> '' GROUP BY ALL"
    )


#: Articles tokenised per step of `build` and `append`. The step's token table is the build's
#: peak memory (~50 MB per 1,000 bench articles of 150-800 words; `SET memory_limit` does not
#: lower it), so steps keep a build's memory flat in the number of articles indexed: at 10k the
#: build's peak fell from +340 MB to +260 MB over the process, the rest being the extension and the
#: index's own tables. Smaller steps only add per-step overhead.
CHUNK_ARTICLES = 2000


def build(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)build the index from every article; return the number of articles indexed."""
    load_extension(con, "fts")
    con.execute("CREATE SCHEMA IF NOT EXISTS search")
    con.execute("CREATE OR REPLACE TABLE search.docs (docid INTEGER, article_id VARCHAR, len INTEGER)")
    con.execute("CREATE OR REPLACE TABLE search.dict (termid INTEGER, stemmer VARCHAR, term VARCHAR, df INTEGER)")
    con.execute("CREATE OR REPLACE TABLE search.postings (termid INTEGER, docid INTEGER, tf INTEGER, len INTEGER)")
    n = _index_new(con)
    # Appended steps leave each step's postings together; one sort puts every term's in one run.
    con.execute("CREATE OR REPLACE TABLE search.postings AS SELECT * FROM search.postings ORDER BY termid, docid")
    con.execute(
        "CREATE OR REPLACE TABLE search.meta AS SELECT ?::BIGINT AS n_docs, "
        "(SELECT coalesce(avg(len), 0) FROM search.docs)::DOUBLE AS avgdl, ?::BIGINT AS n_articles, "
        "(SELECT coalesce(list(DISTINCT stemmer ORDER BY stemmer), []) FROM search.dict) AS stemmers, "
        "?::TIMESTAMP AS built_at, ?::INTEGER AS layout",
        [n, n, datetime.now(timezone.utc).replace(tzinfo=None), LAYOUT],
    )
    return n


def _index_new(con: duckdb.DuckDBPyConnection) -> int:
    """Index every article `search.docs` does not hold, `CHUNK_ARTICLES` at a time in article id
    order (docids continue from the largest); document frequencies are kept up to date, so scores
    are those of one pass over all of them. Returns how many were indexed."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _fts_new AS SELECT article_id, row_number() OVER (ORDER BY article_id) AS k "
        "FROM articles WHERE article_id NOT IN (SELECT article_id FROM search.docs)"
    )
    total = int(con.execute("SELECT count(*) FROM _fts_new").fetchone()[0])  # type: ignore[index]
    base = int(con.execute("SELECT coalesce(max(docid), 0) FROM search.docs").fetchone()[0])  # type: ignore[index]
    for lo in range(0, total, CHUNK_ARTICLES):
        step = f"n.k > {lo} AND n.k <= {lo + CHUNK_ARTICLES}"
        chunk = f"(SELECT a.* FROM articles a JOIN _fts_new n USING (article_id) WHERE {step})"
        con.execute(f"CREATE OR REPLACE TEMP TABLE _fts_tok AS {_tokens_sql(chunk)}")
        con.execute(
            f"INSERT INTO search.docs SELECT ({base} + n.k)::INTEGER, n.article_id, coalesce(sum(t.tf), 0)::INTEGER "
            f"FROM _fts_new n LEFT JOIN _fts_tok t USING (article_id) WHERE {step} GROUP BY n.k, n.article_id"
        )
        _post_chunk(con)
    for temp in ("_fts_new", "_fts_tok"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    return total


def _post_chunk(con: duckdb.DuckDBPyConnection) -> None:
    """Stem the step's tokens (`_fts_tok`), add its new terms to the dictionary, its documents to
    the terms' frequencies and its postings at the end of the table."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _fts_stem AS "
        "SELECT stemmer, token, strip_accents(stem(token, stemmer)) AS term FROM (SELECT DISTINCT stemmer, token FROM _fts_tok)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _fts_post AS "
        "SELECT s.stemmer, s.term, d.docid, sum(t.tf)::INTEGER AS tf "
        "FROM _fts_tok t JOIN _fts_stem s USING (stemmer, token) JOIN search.docs d USING (article_id) GROUP BY ALL"
    )
    con.execute(
        "INSERT INTO search.dict SELECT ((SELECT coalesce(max(termid), 0) FROM search.dict) "
        "+ row_number() OVER (ORDER BY p.stemmer, p.term))::INTEGER, p.stemmer, p.term, 0 "
        "FROM (SELECT DISTINCT stemmer, term FROM _fts_post) p "
        "ANTI JOIN search.dict d ON d.stemmer = p.stemmer AND d.term = p.term"
    )
    con.execute(
        "UPDATE search.dict SET df = df + c.n FROM (SELECT stemmer, term, count(*)::INTEGER AS n FROM _fts_post "
        "GROUP BY stemmer, term) c WHERE search.dict.stemmer = c.stemmer AND search.dict.term = c.term"
    )
    con.execute(
        "INSERT INTO search.postings SELECT d.termid, p.docid, p.tf, o.len FROM _fts_post p "
        "JOIN search.dict d USING (stemmer, term) JOIN search.docs o USING (docid) ORDER BY d.termid, p.docid"
    )
    for temp in ("_fts_stem", "_fts_post"):
        con.execute(f"DROP TABLE {temp}")


def state(con: duckdb.DuckDBPyConnection) -> str:
    """'fresh', 'stale' (articles added since the build) or 'missing'."""
    try:
        row = con.execute("SELECT * FROM search.meta").fetchone()
        names = [d[0] for d in con.description or []]
    except duckdb.CatalogException:
        return "missing"
    if row is None:
        return "missing"
    meta = dict(zip(names, row))
    if meta.get("layout") != LAYOUT:
        return "stale"
    total = con.execute("SELECT count(*) FROM articles").fetchone()
    return "fresh" if total is not None and int(total[0]) == int(meta["n_articles"]) else "stale"


#: A stale index whose new articles are at most this share of those it holds gets them appended
#: (the night's cost follows the night); above it, or after a layout change, it is rebuilt whole,
#: which also re-sorts the postings so a query reads only its terms' row groups again.
APPEND_SHARE = 0.2


def refresh(con: duckdb.DuckDBPyConnection) -> int | None:
    """Bring the index up to date: None if it was fresh, else the number of articles indexed
    (appended, or all of them when it was rebuilt)."""
    current = state(con)
    if current == "fresh":
        return None
    if current == "missing" or _layout(con) != LAYOUT:
        return build(con)
    n_docs = int(con.execute("SELECT n_docs FROM search.meta").fetchone()[0])  # type: ignore[index]
    new = int(
        con.execute(  # type: ignore[index]
            "SELECT count(*) FROM articles WHERE article_id NOT IN (SELECT article_id FROM search.docs)"
        ).fetchone()[0]
    )
    return append(con) if new <= APPEND_SHARE * max(n_docs, 1) else build(con)


def _layout(con: duckdb.DuckDBPyConnection) -> int | None:
    row = con.execute("SELECT layout FROM search.meta").fetchone()
    return int(row[0]) if row else None


def append(con: duckdb.DuckDBPyConnection) -> int:
    """Index the articles the index does not hold yet (articles are only ever inserted); return
    how many. Document frequencies, the document count and the mean length are updated, so the
    scores are those of a full build; new postings go at the end of the table."""
    load_extension(con, "fts")
    added = _index_new(con)
    con.execute(
        "UPDATE search.meta SET n_docs = (SELECT count(*) FROM search.docs), "
        "avgdl = (SELECT coalesce(avg(len), 0) FROM search.docs)::DOUBLE, n_articles = (SELECT count(*) FROM search.docs), "
        "stemmers = (SELECT coalesce(list(DISTINCT stemmer ORDER BY stemmer), []) FROM search.dict)"
    )
    return added


def _query_tokens(con: duckdb.DuckDBPyConnection, text: str) -> list[str]:
    rows = con.execute(f"SELECT DISTINCT unnest(regexp_split_to_array(lower(?), '{_SPLIT}')) AS t", [text]).fetchall()
    return sorted(r[0] for r in rows if r[0])


def _hits_indexed(con: duckdb.DuckDBPyConnection, tokens: list[str]) -> tuple[str, list]:
    """SQL of (article_id, token, tf, len, idf) for the query tokens, from the index."""
    stemmers = con.execute("SELECT stemmers FROM search.meta").fetchone()[0]  # type: ignore[index]
    pairs = [(tok, s) for tok in tokens for s in stemmers]
    found = con.execute(
        "SELECT q.token, d.termid, d.df FROM (SELECT unnest(?) AS token, unnest(?) AS stemmer) q "
        "JOIN search.dict d ON d.stemmer = q.stemmer AND d.term = strip_accents(stem(q.token, q.stemmer))",
        [[p[0] for p in pairs], [p[1] for p in pairs]],
    ).fetchall()
    if not found:
        return (
            "SELECT NULL::INTEGER AS doc, NULL::VARCHAR AS token, 0 AS tf, 0 AS len, 0.0 AS idf, 1.0 AS avgdl "
            "WHERE false",
            [],
        )
    df: dict[str, int] = {}
    for token, _, n in found:
        df[token] = df.get(token, 0) + int(n)
    # One equality per term: each reads only its own row groups of the sorted postings (an IN list
    # is pushed down as a min..max range, which spans most of the table).
    postings = " UNION ALL ".join(
        f"SELECT termid, docid, tf, len FROM search.postings WHERE termid = {int(t)}" for _, t, _ in found
    )
    sql = f"""
        SELECT p.docid AS doc, q.token, p.tf, p.len,
               ln((m.n_docs - q.df + 0.5) / (q.df + 0.5) + 1) AS idf, m.avgdl
        FROM ({postings}) p
        JOIN (SELECT unnest(?::INTEGER[]) AS termid, unnest(?::VARCHAR[]) AS token, unnest(?::BIGINT[]) AS df) q USING (termid),
        search.meta m
    """
    return sql, [[int(t) for _, t, _ in found], [tok for tok, _, _ in found], [df[tok] for tok, _, _ in found]]


def _hits_scanned(tokens: list[str]) -> tuple[str, list]:
    """The same (article_id, token, tf, len, idf, avgdl) computed by scanning every article."""
    sql = f"""
        WITH t AS ({_tokens_sql()}),
        lens AS (SELECT article_id, sum(tf) AS len FROM t GROUP BY article_id),
        stats AS (SELECT count(*) AS n_docs, coalesce(sum(l.len), 0) / greatest(count(*), 1) AS avgdl
                  FROM articles a LEFT JOIN lens l USING (article_id)),
        qs AS (SELECT s.stemmer, q.token AS qtoken, strip_accents(stem(q.token, s.stemmer)) AS term
               FROM (SELECT unnest(?::VARCHAR[]) AS token) q, (SELECT DISTINCT stemmer FROM t) s),
        vocab AS (SELECT DISTINCT stemmer, token FROM t),
        matched AS (SELECT v.stemmer, v.token, qs.qtoken FROM vocab v
                    JOIN qs ON v.stemmer = qs.stemmer AND strip_accents(stem(v.token, v.stemmer)) = qs.term),
        hits AS (SELECT t.article_id, m.qtoken AS token, sum(t.tf) AS tf
                 FROM t JOIN matched m USING (stemmer, token) GROUP BY ALL),
        df AS (SELECT token, count(*) AS df FROM hits GROUP BY token)
        SELECT h.article_id AS doc, h.token, h.tf, l.len,
               ln((s.n_docs - df.df + 0.5) / (df.df + 0.5) + 1) AS idf, s.avgdl
        FROM hits h JOIN lens l USING (article_id) JOIN df USING (token), stats s
    """
    return sql, [tokens]


def scored_articles_sql(
    con: duckdb.DuckDBPyConnection,
    text: str,
    conjunctive: bool,
    on_fallback: Callable[[str], None] | None = None,
    top: int | None = None,
) -> tuple[str, list] | None:
    """SQL of (article_id, score): BM25 of each article matching `text` (every word if
    `conjunctive`, else any; only the `top` best if given), from the index when fresh, else by a
    scan. None: `text` has no word."""
    tokens = _query_tokens(con, text)
    if not tokens:
        return None
    load_extension(con, "fts")
    status = state(con)
    indexed = status == "fresh"
    if indexed:
        hits, args = _hits_indexed(con, tokens)
    else:
        if on_fallback is not None:
            on_fallback(
                f"the full-text index is {status}: scanning every article instead "
                "(slower; `wirestory index` or the next night rebuilds it)"
            )
        hits, args = _hits_scanned(tokens)
    having = f" HAVING count(DISTINCT token) = {len(tokens)}" if conjunctive else ""
    cut = f" ORDER BY score DESC, doc LIMIT {int(top)}" if top else ""
    scored = f"""
        SELECT doc, sum(idf * tf * {K1 + 1} / (tf + {K1} * (1 - {B} + {B} * len / avgdl))) AS score
        FROM ({hits}) GROUP BY doc{having}{cut}
    """
    if indexed:  # docids to article ids only for what is kept
        return f"SELECT d.article_id, s.score FROM ({scored}) s JOIN search.docs d ON d.docid = s.doc", args
    return f"SELECT doc AS article_id, score FROM ({scored})", args
