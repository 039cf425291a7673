"""SQL text of ``sources:``: is a query one statement that only reads, and a table name
quoted as a name.

Used when the settings are read (:mod:`csmetrics.config_sections`) and when a SQL source is
read (:mod:`csmetrics.sources`).
"""

from __future__ import annotations

#: First words of the statements a ``query`` may be: reads only.
READ_STATEMENTS = ("select", "with", "from", "values", "table")


#: Words that make a read-looking statement write (``WITH x AS (DELETE ...)``,
#: ``SELECT ... INTO``, ``SELECT ... FOR UPDATE``), refused outside quotes and comments.
WRITE_WORDS = ("insert", "update", "delete", "merge", "into")


_QUOTES = {"'": "'", '"': '"', "`": "`"}


def _sql_words(sql: str, backslash: bool) -> tuple[list[str], str | None]:
    """The words of ``sql`` outside quotes and comments, up to its first ``;``.

    Returns the words and what is wrong (``None``: one statement, at most followed by
    ``;``, blanks and comments). ``backslash``: a backslash escapes the next character
    inside quotes (MySQL) rather than being a character (standard SQL); the caller
    checks both readings.
    """
    words: list[str] = []
    i, n, ended = 0, len(sql), False
    while i < n:
        c = sql[i]
        if sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j + 1
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            if j < 0:
                return words, "a /* comment is not closed"
            i = j + 2
        elif c.isspace() or (ended and c == ";"):
            i += 1
        elif ended:
            return words, "it holds more than one statement (text after ';')"
        elif c == ";":
            ended = True
            i += 1
        elif c in _QUOTES:
            j = i + 1
            while True:
                if j >= n:
                    return words, f"a {c} quote is not closed"
                if backslash and sql[j] == "\\":
                    j += 2
                elif sql[j] == _QUOTES[c]:
                    if sql.startswith(c * 2, j):
                        j += 2
                    else:
                        break
                else:
                    j += 1
            words.append("")  # a quoted text or name
            i = j + 1
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (sql[j].isalnum() or sql[j] in "_$"):
                j += 1
            words.append(sql[i:j].lower())
            i = j
        else:
            if c != "(" or words:
                words.append(c)
            i += 1
    return words, None


def read_query_problem(sql: str) -> str | None:
    """Why ``sql`` is not one statement that only reads, or ``None`` when it is.

    A read starts with SELECT, WITH, FROM, VALUES or TABLE (after comments and opening
    parentheses), holds one statement (a final ``;`` is fine) and no INSERT, UPDATE,
    DELETE, MERGE or INTO outside quotes. Quotes are read both with and without
    backslash escapes, so that no dialect can hide a second statement in a text.

    Examples
    --------
    >>> read_query_problem("-- calls\\nselect * from calls where note = 'a;b';")
    >>> read_query_problem("select 1; drop table calls")
    "it holds more than one statement (text after ';')"
    """
    for backslash in (False, True):
        words, problem = _sql_words(sql, backslash)
        if problem:
            return problem
        if not words or words[0] not in READ_STATEMENTS:
            first = words[0].upper() if words and words[0] else "nothing"
            return f"it starts with {first}, not with {'/'.join(map(str.upper, READ_STATEMENTS))}"
        found = [w.upper() for w in WRITE_WORDS if w in words]
        if found:
            return (
                f"it uses {', '.join(found)}, which can write (a name that is such a word "
                "must be quoted)"
            )
    return None


def quoted_table_name(name: str, quote: str = '"', close: str | None = None) -> str:
    """``sources.<table>.table`` as SQL: each dot-separated part quoted as a name.

    Examples
    --------
    >>> print(quoted_table_name('main.my "calls" 2026'))
    "main"."my ""calls"" 2026"
    """
    close = close or quote
    return ".".join(quote + p.replace(close, close * 2) + close for p in name.split("."))
