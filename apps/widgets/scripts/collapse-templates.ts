/**
 * Drops the source indentation after each line break in the static text of Lit's `html` and `css`
 * tagged templates: a line break followed by spaces reads as the same whitespace in HTML and CSS
 * (the panels have no `<pre>` or `white-space: pre`), so the bundle loses bytes, not meaning. The
 * `${…}` expressions are left as they are, except the `html` and `css` templates nested in them;
 * every other string and template is untouched. In `css` templates the comments go too, and the
 * line breaks after `{`, `;`, `}` and `,` and before `}`, the spaces before `{`, after a
 * declaration's colon (a custom property's too) and after a comma, a block's last `;` and the 0 of
 * `0.5em`, and the line break the template opens with: notes and layout for the source's reader.
 */
export function collapseTemplates(code: string): string {
  let out = "";
  let i = 0;
  const tag = /\b(html|css)`/g;
  for (let m = tag.exec(code); m; m = tag.exec(code)) {
    if (m.index < i) continue;
    const start = m.index + m[0].length;
    out += code.slice(i, start);
    const [text, end] = template(code, start, m[1] === "css" ? "css" : "html");
    out += text;
    i = end;
    tag.lastIndex = end;
  }
  return out + code.slice(i);
}

/** A template's text from just after its opening backtick to just after its closing one; with a `tag`, its static parts collapsed. */
function template(code: string, from: number, tag: "html" | "css" | null): [string, number] {
  let out = "";
  let i = from;
  let chunk = "";
  const flush = () => {
    const text = tag ? chunk.replace(/\n[ \t]+/g, "\n") : chunk;
    // In CSS a comment is nothing, and neither is a line break after `{ ; } ,` or before `}`, a space before `{`,
    // the space after a declaration's `property:` or `--custom:` (a selector's `a :hover` is never right after `{` or `;`), the space after a
    // comma (`minmax(0, 1fr)`, `a, b`), a last `;`, a leading 0 (`0.5em` is `.5em`), or the line break a template opens with.
    out +=
      tag === "css"
        ? text
            .replace(/\/\*[\s\S]*?\*\/\n?/g, "")
            .replace(/([{;},])\n|\n(?=})| (?={)/g, "$1")
            .replace(/([{;][a-z_-]+:) /g, "$1")
            .replace(/, (?=[\w#(-])/g, ",")
            .replace(/;}/g, "}")
            .replace(/([: (,])0\.(\d)/g, "$1.$2")
            .replace(/^\n/, out ? "\n" : "")
        : text;
    chunk = "";
  };
  while (i < code.length) {
    const ch = code[i];
    if (ch === "\\") {
      chunk += code.slice(i, i + 2);
      i += 2;
    } else if (ch === "`") {
      flush();
      return [out + "`", i + 1];
    } else if (ch === "$" && code[i + 1] === "{") {
      flush();
      const [expr, end] = expression(code, i + 2);
      out += "${" + expr;
      i = end;
    } else {
      chunk += ch;
      i++;
    }
  }
  throw new Error("collapseTemplates: a template literal does not end");
}

/** A `${…}` expression's text from just after `${` to just after its `}`, with nested templates handled. */
function expression(code: string, from: number): [string, number] {
  let out = "";
  let depth = 0;
  let i = from;
  while (i < code.length) {
    const ch = code[i] as string;
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < code.length && code[j] !== ch) j += code[j] === "\\" ? 2 : 1;
      out += code.slice(i, j + 1);
      i = j + 1;
    } else if (ch === "`") {
      const tag = /\b(html|css)$/.exec(out)?.[1];
      const [text, end] = template(code, i + 1, tag === "html" || tag === "css" ? tag : null);
      out += "`" + text;
      i = end;
    } else if (ch === "{") {
      depth++;
      out += ch;
      i++;
    } else if (ch === "}") {
      if (depth === 0) return [out + "}", i + 1];
      depth--;
      out += ch;
      i++;
    } else {
      out += ch;
      i++;
    }
  }
  throw new Error("collapseTemplates: an expression in a template literal does not end");
}
