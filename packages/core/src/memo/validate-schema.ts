import { elementPath } from "./element-path.ts";
import type { MemoIssue } from "./issues.ts";
import { MEMO_NS, XSI_NS } from "./namespaces.ts";
import type { ComplexDecl, ElementDecl, MemoSchema, Particle } from "./schema.ts";
import { checkSimpleType } from "./simple-types.ts";
import type { XmlElement } from "./xml-types.ts";

/** Elements MeMo 1.2 added, by parent: in a 1.1 message they get the `only_in_1_2` code. */
const ONLY_IN_1_2: Readonly<Record<string, string>> = { Representative: "Sender", originalRepresentative: "ForwardData" };

function matches(decl: ElementDecl, el: XmlElement): boolean {
  return decl.local === el.local && decl.ns === el.ns;
}

function findDecl(p: Particle, el: XmlElement): ElementDecl | undefined {
  for (const d of p.decls) if (matches(d, el)) return d;
  return undefined;
}

function particleName(p: Particle): string {
  return p.decls.map((d) => d.local).join(" or ");
}

function childPath(parent: XmlElement, p: Particle): string {
  return `${elementPath(parent)}/${p.decls[0]?.local ?? "?"}`;
}

function describe(el: XmlElement): string {
  return el.ns === MEMO_NS.memo ? `<${el.local}>` : `<${el.local}> (namespace ${el.ns === "" ? "none" : el.ns})`;
}

/**
 * Validates the children, attributes and values below `root` (the Message element, whose own
 * attributes the caller checks) against `schema`, appending every problem to `issues`.
 */
export function validateAgainstSchema(root: XmlElement, schema: MemoSchema, issues: MemoIssue[]): void {
  const v11 = schema.version === "1.1";

  const attributes = (el: XmlElement): void => {
    for (const a of el.attributes) {
      if (a.ns === XSI_NS && (a.local === "schemaLocation" || a.local === "noNamespaceSchemaLocation")) continue;
      issues.push({ path: `${elementPath(el)}/@${a.qname}`, code: "unexpected_attribute", message: `attribute ${a.qname} is not allowed on <${el.local}>` });
    }
  };

  const element = (el: XmlElement, decl: ElementDecl): void => {
    if (el.attributes.length > 0) attributes(el);
    if (decl.kind === "simple") {
      if (el.children.length > 0) {
        issues.push({ path: elementPath(el), code: "unexpected_element", message: `<${el.local}> holds a value; child elements are not allowed in it` });
        return;
      }
      const value = el.text === "" && decl.defaultValue !== null ? decl.defaultValue : el.text;
      const problem = checkSimpleType(decl.type, value);
      if (problem !== null) issues.push({ path: elementPath(el), code: problem.code, message: `<${el.local}>: ${problem.message}` });
      return;
    }
    content(el, decl);
  };

  const content = (el: XmlElement, decl: ComplexDecl): void => {
    if (el.hasText) issues.push({ path: elementPath(el), code: "unexpected_text", message: `<${el.local}> may only contain elements, not text` });
    const particles = decl.particles;
    let i = 0;
    let count = 0;
    let broken = false;
    for (const child of el.children) {
      if (broken) {
        // after the first content-model error, still check the values of children we recognise
        for (const p of particles) {
          const d = findDecl(p, child);
          if (d !== undefined) {
            element(child, d);
            break;
          }
        }
        continue;
      }
      let placed = false;
      while (i < particles.length) {
        const p = particles[i]!;
        const d = findDecl(p, child);
        if (d !== undefined) {
          if (count < p.max) {
            count++;
            element(child, d);
            placed = true;
          }
          break;
        }
        if (count < p.min) break;
        i++;
        count = 0;
      }
      if (placed) continue;
      broken = true;
      misplaced(el, child, particles, i, count);
      for (const p of particles) {
        const d = findDecl(p, child);
        if (d !== undefined) {
          element(child, d);
          break;
        }
      }
    }
    if (broken) return;
    for (; i < particles.length; i++, count = 0) {
      const p = particles[i]!;
      if (count < p.min) issues.push({ path: childPath(el, p), code: "missing_element", message: `<${el.local}> is missing the required <${particleName(p)}>` });
    }
  };

  const misplaced = (parent: XmlElement, child: XmlElement, particles: Particle[], i: number, count: number): void => {
    const at = particles.findIndex((p) => findDecl(p, child) !== undefined);
    const path = elementPath(child);
    const current = particles[i];
    if (at === -1) {
      if (v11 && child.ns === MEMO_NS.memo && ONLY_IN_1_2[child.local] === parent.local) {
        issues.push({ path, code: "only_in_1_2", message: `<${child.local}> exists only in MeMo 1.2; this message says memoVersion 1.1` });
      } else {
        issues.push({ path, code: "unexpected_element", message: `${describe(child)} is not allowed in <${parent.local}>` });
      }
    } else if (at === i && current !== undefined && count >= current.max) {
      issues.push({ path, code: "element_too_often", message: `<${child.local}> may occur at most ${current.max} time${current.max === 1 ? "" : "s"} in <${parent.local}>` });
    } else if (at < i || current === undefined) {
      const later = current === undefined ? "" : `: it must come before <${particleName(current)}>`;
      issues.push({ path, code: at === i || current === undefined ? "element_too_often" : "element_out_of_order", message: `<${child.local}> is out of order or repeated in <${parent.local}>${later}` });
    } else {
      const missing = particles[i]!;
      issues.push({ path: childPath(parent, missing), code: "missing_element", message: `<${parent.local}> is missing the required <${particleName(missing)}> (before <${child.local}>)` });
    }
  };

  content(root, schema.message);
}
