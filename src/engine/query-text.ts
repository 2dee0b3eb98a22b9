// The agent's SQL as a body DuckDB can wrap (`create table … as <body>`, `select * from (<body>)`): without the
// statement's trailing `;` and whatever comments follow it. A tiny scanner, not a regex, because a `;` or `--`
// inside a string, a quoted name or a comment is part of the query.

/** `sql` cut before its last top-level `;` when only comments and blanks follow it (repeatedly: `;;`). */
export function withoutTerminator(sql: string): string {
  let body = sql;
  for (;;) {
    const { lastCode, lastSemicolon } = scan(body);
    if (lastSemicolon < 0 || lastCode !== lastSemicolon) return body;
    body = body.slice(0, lastSemicolon);
  }
}

/** Where the last character that is not a blank or a comment is, and the last `;` outside strings and comments. */
function scan(sql: string): { lastCode: number; lastSemicolon: number } {
  let lastCode = -1;
  let lastSemicolon = -1;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"') {
      // '' (or "") inside is the quote itself: the scan just reopens the string.
      const end = sql.indexOf(c, i + 1);
      lastCode = end < 0 ? n - 1 : end;
      i = end < 0 ? n : end + 1;
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))![0];
      const end = sql.indexOf(tag, i + tag.length);
      lastCode = end < 0 ? n - 1 : end + tag.length - 1;
      i = end < 0 ? n : end + tag.length;
    } else {
      if (c === ';') lastSemicolon = i;
      if (!/\s/.test(c)) lastCode = i;
      i++;
    }
  }
  return { lastCode, lastSemicolon };
}
