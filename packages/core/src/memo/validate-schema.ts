import { elementPath } from "./element-path.ts";
import type { MemoIssue } from "./issues.ts";
import { MEMO_NS, XSI_NS } from "./namespaces.ts";
import type { BusinessRule, ChildSlot, ComplexDecl, ElementDecl, MemoSchema, Particle, SimpleDecl } from "./schema.ts";
import { checkSimpleType, collapse } from "./simple-types.ts";
import type { XmlElement } from "./xml-types.ts";

/** A value of the typed model, before it is cast to the `MemoDocument` types. */
export type ModelValue = string | boolean | ModelObject | ModelValue[];
/** An object of the typed model. */
export type ModelObject = { [key: string]: ModelValue };
/** An element a business rule applies to, collected during validation. */
export type RuleHit = { el: XmlElement; rule: BusinessRule };

/** Elements MeMo 1.2 added, by parent: in a 1.1 message they get the `only_in_1_2` code. */
const ONLY_IN_1_2: Readonly<Record<string, string>> = { Representative: "Sender", originalRepresentative: "ForwardData" };

function slotOf(decl: ComplexDecl, el: XmlElement): ChildSlot | undefined {
  const slots = el.localId < 0 ? undefined : decl.index[el.localId];
  if (slots === undefined) return undefined;
  for (const s of slots) if (s.ns === el.ns) return s;
  return undefined;
}

function particleName(p: Particle): string {
  return p.decls.map((d) => d.local).join(" or ");
}

function describe(el: XmlElement): string {
  return el.ns === MEMO_NS.memo ? `<${el.local}>` : `<${el.local}> (namespace ${el.ns === "" ? "none" : el.ns})`;
}

function simpleValue(raw: string, decl: SimpleDecl): string | boolean {
  switch (decl.type) {
    case "boolean": {
      const v = collapse(raw);
      return v === "true" || v === "1";
    }
    case "dateTime":
    case "uri":
    case "language":
      return collapse(raw);
    default:
      return raw;
  }
}

/**
 * Validates the children, attributes and values below `root` (the Message element, whose own
 * attributes the caller checks) against `schema`, appending every problem to `issues`. Builds the
 * typed model on the way (one key per element name, arrays for repeatable elements; only
 * meaningful when no issue was added) and collects the elements business rules apply to.
 */
export function validateAgainstSchema(root: XmlElement, schema: MemoSchema, issues: MemoIssue[], hits: RuleHit[]): ModelObject {
  const v11 = schema.version === "1.1";

  const attributes = (el: XmlElement): void => {
    for (const a of el.attributes) {
      if (a.ns === XSI_NS && (a.local === "schemaLocation" || a.local === "noNamespaceSchemaLocation")) continue;
      issues.push({
        path: `${elementPath(el)}/@${a.qname}`,
        code: "unexpected_attribute",
        message: `attribute ${a.qname} is not allowed on <${el.local}>`,
      });
    }
  };

  const element = (el: XmlElement, decl: ElementDecl): ModelValue => {
    if (el.attributes.length > 0) attributes(el);
    if (decl.rule !== undefined) hits.push({ el, rule: decl.rule });
    if (decl.kind === "complex") return content(el, decl);
    if (el.children.length > 0) {
      issues.push({
        path: elementPath(el),
        code: "unexpected_element",
        message: `<${el.local}> holds a value; child elements are not allowed in it`,
      });
      return "";
    }
    // the XSD default applies only to an element with no character data at all (comments aside)
    const value = el.text === "" && !el.hasText && decl.defaultValue !== null ? decl.defaultValue : el.text;
    const problem = checkSimpleType(decl.type, value);
    if (problem !== null) issues.push({ path: elementPath(el), code: problem.code, message: `<${el.local}>: ${problem.message}` });
    return simpleValue(value, decl);
  };

  const missing = (parent: XmlElement, p: Particle, before: XmlElement | null): void => {
    const tail = before === null ? "" : ` (before <${before.local}>)`;
    issues.push({
      path: `${elementPath(parent)}/${p.decls[0]?.local ?? "?"}`,
      code: "missing_element",
      message: `<${parent.local}> is missing the required <${particleName(p)}>${tail}`,
    });
  };

  const content = (el: XmlElement, decl: ComplexDecl): ModelObject => {
    if (el.hasText)
      issues.push({ path: elementPath(el), code: "unexpected_text", message: `<${el.local}> may only contain elements, not text` });
    const particles = decl.particles;
    const out: ModelObject = {};
    for (const p of particles) if (p.max > 1) for (const d of p.decls) out[d.local] = [];
    let i = 0;
    let count = 0;
    let broken = false;
    for (const child of el.children) {
      const slot = slotOf(decl, child);
      if (!broken) {
        if (slot === undefined) {
          broken = true;
          if (v11 && child.ns === MEMO_NS.memo && ONLY_IN_1_2[child.local] === el.local) {
            issues.push({
              path: elementPath(child),
              code: "only_in_1_2",
              message: `<${child.local}> exists only in MeMo 1.2; this message says memoVersion 1.1`,
            });
          } else {
            issues.push({
              path: elementPath(child),
              code: "unexpected_element",
              message: `${describe(child)} is not allowed in <${el.local}>`,
            });
          }
        } else if (slot.particle === i) {
          if (++count > particles[i]!.max) {
            broken = true;
            const max = particles[i]!.max;
            issues.push({
              path: elementPath(child),
              code: "element_too_often",
              message: `<${child.local}> may occur at most ${max} time${max === 1 ? "" : "s"} in <${el.local}>`,
            });
          }
        } else if (slot.particle > i) {
          if (count < particles[i]!.min) {
            broken = true;
            missing(el, particles[i]!, child);
          } else {
            for (let j = i + 1; j < slot.particle; j++) {
              if (particles[j]!.min > 0) {
                broken = true;
                missing(el, particles[j]!, child);
                break;
              }
            }
          }
          i = slot.particle;
          count = 1;
        } else {
          broken = true;
          issues.push({
            path: elementPath(child),
            code: "element_out_of_order",
            message: `<${child.local}> is out of order in <${el.local}>: it must come before <${particleName(particles[i]!)}>`,
          });
        }
      }
      // after the first content-model error the values of recognised children are still checked
      if (slot === undefined) continue;
      const value = element(child, slot.decl);
      if (particles[slot.particle]!.max > 1) (out[slot.decl.local] as ModelValue[]).push(value);
      else out[slot.decl.local] = value;
    }
    if (!broken) {
      for (; i < particles.length; i++, count = 0) if (count < particles[i]!.min) missing(el, particles[i]!, null);
    }
    return out;
  };

  return content(root, schema.message);
}
