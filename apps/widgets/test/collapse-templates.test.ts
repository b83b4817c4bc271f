import { describe, expect, test } from "vitest";
import { collapseTemplates } from "../scripts/collapse-templates.ts";

describe("collapseTemplates (the build's trim of html/css template indentation)", () => {
  test("drops the indentation after line breaks in html and css templates, nested ones included", () => {
    const src =
      "const a = html`<p>\n    <b>${x ? html`<i>\n      y</i>` : nothing}</b>\n  </p>`;\nconst s = css`\n  .a {\n    color: red;\n  }\n`;";
    expect(collapseTemplates(src)).toBe(
      "const a = html`<p>\n<b>${x ? html`<i>\ny</i>` : nothing}</b>\n</p>`;\nconst s = css`\n.a {\ncolor: red;\n}\n`;",
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

  test("refuses a template that does not end", () => {
    expect(() => collapseTemplates("html`<p>")).toThrow(/does not end/);
  });
});
