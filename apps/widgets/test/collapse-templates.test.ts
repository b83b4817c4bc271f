import { describe, expect, test } from "vitest";
import { collapseTemplates } from "../scripts/collapse-templates.ts";

describe("collapseTemplates (the build's trim of html/css template indentation)", () => {
  test("drops the indentation after line breaks in html and css templates, nested ones included (css its idle line breaks too)", () => {
    const src =
      "const a = html`<p>\n    <b>${x ? html`<i>\n      y</i>` : nothing}</b>\n  </p>`;\nconst s = css`\n  .a {\n    color: red;\n  }\n`;";
    expect(collapseTemplates(src)).toBe(
      "const a = html`<p>\n<b>${x ? html`<i>\ny</i>` : nothing}</b>\n</p>`;\nconst s = css`.a{color:red}`;",
    );
  });

  test("leaves code, strings, untagged templates and expressions alone", () => {
    const src = [
      "const u = `keep\n    this`;",
      'const h = html`<p title=${"}`\n  "}>${`untagged\n    ${1}`}${{ a: 1 }.a}</p>`;',
      "function f() {\n    return 1;\n}",
    ].join("\n");
    expect(collapseTemplates(src)).toBe(
      [
        "const u = `keep\n    this`;",
        'const h = html`<p title=${"}`\n  "}>${`untagged\n    ${1}`}${{ a: 1 }.a}</p>`;',
        "function f() {\n    return 1;\n}",
      ].join("\n"),
    );
    expect(collapseTemplates("const e = html`a\\`\n  b`;")).toBe("const e = html`a\\`\nb`;");
  });

  test("in css templates drops comments, the line breaks and spaces that separate nothing, and a last semicolon; keeps the spaces that do separate", () => {
    const src = "const s = css`\n  /* a note\n     on two lines */\n  .a .b,\n  .c :hover {\n    color: red;\n  }\n  .d { margin: 0 }\n`;";
    expect(collapseTemplates(src)).toBe("const s = css`.a .b,.c :hover{color:red}.d{ margin: 0 }`;");
    expect(collapseTemplates("css`.a{padding: 0.5em 10.25em; margin: -0.5em; width: calc(100% - 0.5em)}`")).toBe(
      "css`.a{padding:.5em 10.25em; margin: -0.5em; width: calc(100% - .5em)}`",
    );
    // A custom property's colon and the spaces after commas go too, a space before a string stays.
    expect(collapseTemplates('css`:host{--_a: var(--b, 1rem);font: x, "Y Z";grid: minmax(0, 1fr)}`')).toBe(
      'css`:host{--_a:var(--b,1rem);font:x, "Y Z";grid:minmax(0,1fr)}`',
    );
    // An html template keeps its line breaks and comments (whitespace between inline elements is a space).
    expect(collapseTemplates("html`<b>a</b>\n  <!-- x -->\n  <i>b</i> {`")).toBe("html`<b>a</b>\n<!-- x -->\n<i>b</i> {`");
  });

  test("refuses a template that does not end", () => {
    expect(() => collapseTemplates("html`<p>")).toThrow(/does not end/);
  });
});
