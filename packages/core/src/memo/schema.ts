import { MEMO_NS, type MemoNsPrefix } from "./namespaces.ts";
import { internName } from "./xml-chars.ts";

/** The XSD simple types MeMo uses (dt:* from MeMo_dataTypes.xsd and the xs:* built-ins). */
export type SimpleTypeName =
  | "text"
  | "comment"
  | "notification"
  | "licenseNumber"
  | "uuid"
  | "dateTime"
  | "date"
  | "boolean"
  | "language"
  | "uri"
  | "base64"
  | "messageType"
  | "gln"
  | "pnumber";

/** An element declaration: a simple-typed leaf or a container with a sequence of particles. */
export type ElementDecl = SimpleDecl | ComplexDecl;
/** A leaf element with a simple type (and the XSD default, if any). */
export type SimpleDecl = {
  kind: "simple";
  ns: string;
  local: string;
  type: SimpleTypeName;
  defaultValue: string | null;
  rule?: BusinessRule;
};

/** Which business rule (on top of the XSD) applies to an element, checked after validation. */
export type BusinessRule = "filename" | "entryPointUrl" | "doNotDeliverUntilDate" | "cpr" | "cvr" | "idHolder";
/** A container element: an xs:sequence of particles. */
export type ComplexDecl = {
  kind: "complex";
  ns: string;
  local: string;
  particles: Particle[];
  rule?: BusinessRule;
  /** Interned child local name → where it may appear (particle index and declaration), for O(1) matching. */
  index: (ChildSlot[] | undefined)[];
};
/** Where a child element fits in its parent's sequence. */
export type ChildSlot = { ns: string; particle: number; decl: ElementDecl };

/** One slot in a sequence: one element (or a choice of elements) occurring min..max times. */
export type Particle = { decls: ElementDecl[]; min: number; max: number };

/** The schema for one MeMo version: the root declaration. */
export type MemoSchema = { version: "1.1" | "1.2"; message: ComplexDecl };

const UNBOUNDED = Number.POSITIVE_INFINITY;

type ParticleSpec = { decls: () => ElementDecl[]; min: number; max: number };

/**
 * Builds the element declarations of MeMo_core.xsd and its sub-schemas for one version, by hand
 * from the XSDs in fixtures/memo/xsd (1.2 adds Sender/Representative and
 * ForwardData/originalRepresentative, makes mandatory/legalNotification optional, drops memoSchVersion).
 */
function buildSchema(version: "1.1" | "1.2"): MemoSchema {
  const v12 = version === "1.2";
  const globals = new Map<string, ElementDecl>();
  const complexSpecs: [ComplexDecl, ParticleSpec[]][] = [];

  const g =
    (prefix: MemoNsPrefix, local: string): (() => ElementDecl[]) =>
    () => {
      const d = globals.get(`${MEMO_NS[prefix]}|${local}`);
      if (d === undefined) throw new Error(`schema: no global ${prefix}:${local}`);
      return [d];
    };
  const ref = (prefix: MemoNsPrefix, local: string, min = 1, max = 1): ParticleSpec => ({ decls: g(prefix, local), min, max });
  const choice = (refs: [MemoNsPrefix, string][], min: number, max: number): ParticleSpec => ({
    decls: () => refs.flatMap(([p, l]) => g(p, l)()),
    min,
    max,
  });
  const leaf = (
    local: string,
    type: SimpleTypeName,
    min = 1,
    max = 1,
    defaultValue: string | null = null,
    rule?: BusinessRule,
  ): ParticleSpec => {
    const d: SimpleDecl = { kind: "simple", ns: MEMO_NS.memo, local, type, defaultValue };
    if (rule !== undefined) d.rule = rule;
    return { decls: () => [d], min, max };
  };
  const simple = (prefix: MemoNsPrefix, local: string, type: SimpleTypeName, rule?: BusinessRule): void => {
    const d: SimpleDecl = { kind: "simple", ns: MEMO_NS[prefix], local, type, defaultValue: null };
    if (rule !== undefined) d.rule = rule;
    globals.set(`${MEMO_NS[prefix]}|${local}`, d);
  };
  const complex = (prefix: MemoNsPrefix, local: string, specs: (ParticleSpec | false)[], rule?: BusinessRule): void => {
    const d: ComplexDecl = { kind: "complex", ns: MEMO_NS[prefix], local, particles: [], index: [] };
    if (rule !== undefined) d.rule = rule;
    globals.set(`${MEMO_NS[prefix]}|${local}`, d);
    complexSpecs.push([d, specs.filter((x): x is ParticleSpec => x !== false)]);
  };

  // MeMo_grd.xsd
  simple("grd", "cprNumber", "text", "cpr");
  simple("grd", "cvrNumber", "text", "cvr");
  for (const l of [
    "id",
    "addressLabel",
    "houseNumber",
    "door",
    "floor",
    "co",
    "zipCode",
    "city",
    "country",
    "geographicEastingMeasure",
    "geographicNorthingMeasure",
    "geographicHeightMeasure",
    "unstructured",
    "name",
    "companyName",
    "eID",
    "label",
    "productionUnitName",
    "seNumber",
    "propertyNumber",
  ])
    simple("grd", l, "text");
  simple("grd", "productionUnitNumber", "pnumber");
  complex("grd", "AddressPoint", [
    ref("grd", "geographicEastingMeasure", 0),
    ref("grd", "geographicNorthingMeasure", 0),
    ref("grd", "geographicHeightMeasure", 0),
  ]);
  complex("grd", "Address", [
    ...["id", "addressLabel", "houseNumber", "door", "floor", "co", "zipCode", "city", "country"].map((l) => ref("grd", l, 0)),
    ref("grd", "AddressPoint", 0),
  ]);
  complex("grd", "UnstructuredAddress", [ref("grd", "unstructured")]);
  complex("grd", "CPRdata", [ref("grd", "cprNumber"), ref("grd", "name", 0)]);
  complex("grd", "CVRdata", [ref("grd", "cvrNumber"), ref("grd", "companyName", 0)]);
  complex("grd", "EID", [ref("grd", "eID"), ref("grd", "label", 0)]);
  complex("grd", "ProductionUnit", [ref("grd", "productionUnitNumber"), ref("grd", "productionUnitName", 0)]);
  complex("grd", "SEnumber", [ref("grd", "seNumber"), ref("grd", "companyName", 0)]);
  complex("grd", "PropertyNumber", [ref("grd", "propertyNumber")]);
  // MeMo_gln.xsd, MeMo_sor.xsd, MeMo_kle.xsd, MeMo_form.xsd, MeMo_dmv.xsd, MeMo_udd.xsd
  simple("gln", "globalLocationNumber", "gln");
  simple("gln", "location", "text");
  complex("gln", "GlobalLocationNumber", [ref("gln", "globalLocationNumber"), ref("gln", "location", 0)]);
  simple("sor", "sorIdentifier", "text");
  simple("sor", "entryName", "text");
  complex("sor", "SORdata", [ref("sor", "sorIdentifier"), ref("sor", "entryName", 0)]);
  for (const l of ["subjectKey", "version", "activityFacet", "label"]) simple("kle", l, "text");
  complex("kle", "KLEdata", [ref("kle", "subjectKey"), ref("kle", "version"), ref("kle", "activityFacet", 0), ref("kle", "label")]);
  for (const l of ["taskKey", "version", "activityFacet", "label"]) simple("form", l, "text");
  complex("form", "FORMdata", [ref("form", "taskKey"), ref("form", "version"), ref("form", "activityFacet", 0), ref("form", "label")]);
  simple("dmv", "licenseNumber", "licenseNumber");
  simple("dmv", "chassisNumber", "text");
  complex("dmv", "MotorVehicle", [ref("dmv", "licenseNumber"), ref("dmv", "chassisNumber", 0)]);
  simple("udd", "educationCode", "text");
  simple("udd", "educationName", "text");
  complex("udd", "Education", [ref("udd", "educationCode"), ref("udd", "educationName", 0)]);

  // MeMo_core.xsd
  complex("memo", "File", [
    leaf("encodingFormat", "text"),
    leaf("filename", "text", 1, 1, null, "filename"),
    leaf("language", "language"),
    leaf("content", "base64"),
  ]);
  complex("memo", "EMail", [leaf("emailAddress", "text"), leaf("relatedAgent", "text", 0)]);
  // Action: label, actionCode, choice(sequence(startDateTime?, endDateTime?, choice(Reservation?, EntryPoint?))) — the same language as below
  complex("memo", "Action", [
    leaf("label", "text"),
    leaf("actionCode", "text"),
    leaf("startDateTime", "dateTime", 0),
    leaf("endDateTime", "dateTime", 0),
    choice(
      [
        ["memo", "Reservation"],
        ["memo", "EntryPoint"],
      ],
      0,
      1,
    ),
  ]);
  complex("memo", "CaseID", [leaf("caseID", "text"), leaf("caseSystem", "text")]);
  complex(
    "memo",
    "Sender",
    [
      leaf("senderID", "text"),
      leaf("idType", "text"),
      leaf("idTypeLabel", "text", 0),
      leaf("label", "text"),
      ref("memo", "AttentionData", 0),
      ref("memo", "ContactPoint", 0),
      v12 && ref("memo", "Representative", 0),
    ],
    "idHolder",
  );
  complex("memo", "Message", [ref("memo", "MessageHeader"), ref("memo", "MessageBody", 0)]);
  complex(
    "memo",
    "Recipient",
    [
      leaf("recipientID", "text"),
      leaf("idType", "text"),
      leaf("idTypeLabel", "text", 0),
      leaf("label", "text", 0),
      ref("memo", "AttentionData", 0),
      ref("memo", "ContactPoint", 0),
    ],
    "idHolder",
  );
  if (v12)
    complex(
      "memo",
      "Representative",
      [leaf("representativeID", "text", 0), leaf("idType", "text", 0), leaf("idTypeLabel", "text", 0), leaf("label", "text", 0)],
      "idHolder",
    );
  complex("memo", "ForwardData", [
    leaf("messageUUID", "uuid"),
    leaf("originalMessageDateTime", "dateTime"),
    leaf("originalSender", "text"),
    leaf("originalContentResponsible", "text", 0),
    v12 && leaf("originalRepresentative", "text", 0),
    leaf("contactPointID", "text", 0),
    leaf("comment", "comment", 0),
  ]);
  complex("memo", "ReplyData", [
    leaf("messageID", "text", 0),
    leaf("messageUUID", "uuid"),
    leaf("replyUUID", "uuid", 0),
    leaf("senderID", "text", 0),
    leaf("recipientID", "text", 0),
    leaf("caseID", "text", 0),
    leaf("contactPointID", "text", 0),
    leaf("generatingSystemID", "text", 0),
    leaf("comment", "comment", 0),
    ref("memo", "AdditionalReplyData", 0, 4),
  ]);
  complex("memo", "Telephone", [leaf("telephoneNumber", "text"), leaf("relatedAgent", "text", 0)]);
  complex("memo", "EntryPoint", [leaf("url", "uri", 1, 1, null, "entryPointUrl")]);
  complex("memo", "ContactInfo", [leaf("label", "text"), leaf("value", "text")]);
  complex("memo", "ContentData", [
    ref("grd", "CPRdata", 0),
    ref("grd", "CVRdata", 0),
    ref("dmv", "MotorVehicle", 0),
    ref("grd", "PropertyNumber", 0),
    ref("memo", "CaseID", 0),
    ref("kle", "KLEdata", 0),
    ref("form", "FORMdata", 0),
    ref("grd", "ProductionUnit", 0),
    ref("udd", "Education", 0),
    ref("grd", "Address", 0),
    ref("grd", "UnstructuredAddress", 0),
    ref("memo", "AdditionalContentData", 0, 10),
  ]);
  complex("memo", "MessageBody", [
    leaf("createdDateTime", "dateTime"),
    ref("memo", "MainDocument"),
    ref("memo", "AdditionalDocument", 0, UNBOUNDED),
    ref("memo", "TechnicalDocument", 0, UNBOUNDED),
  ]);
  complex("memo", "AdditionalContentData", [
    leaf("contentDataType", "text", 0),
    leaf("contentDataName", "text"),
    leaf("contentDataValue", "text"),
  ]);
  complex("memo", "Reservation", [
    leaf("description", "text"),
    leaf("reservationUUID", "uuid"),
    leaf("abstract", "text"),
    leaf("location", "text"),
    leaf("startDateTime", "dateTime"),
    leaf("endDateTime", "dateTime"),
    leaf("organizerMail", "text", 0),
    leaf("organizerName", "text", 0),
  ]);
  complex("memo", "ContactPoint", [
    leaf("contactGroup", "text", 0),
    leaf("contactPointID", "text"),
    leaf("label", "text", 0),
    ref("memo", "ContactInfo", 0, 2),
  ]);
  complex("memo", "AttentionData", [
    ref("memo", "AttentionPerson", 0),
    ref("grd", "ProductionUnit", 0),
    ref("gln", "GlobalLocationNumber", 0),
    ref("memo", "EMail", 0),
    ref("grd", "SEnumber", 0),
    ref("memo", "Telephone", 0),
    ref("grd", "EID", 0),
    ref("memo", "ContentResponsible", 0),
    ref("memo", "GeneratingSystem", 0),
    ref("sor", "SORdata", 0),
    ref("grd", "Address", 0),
    ref("grd", "UnstructuredAddress", 0),
  ]);
  complex("memo", "MessageHeader", [
    leaf("messageType", "messageType"),
    leaf("messageUUID", "uuid"),
    leaf("messageID", "text", 0),
    leaf("messageCode", "text", 0),
    leaf("label", "text"),
    leaf("notification", "notification", 0),
    leaf("additionalNotification", "text", 0),
    leaf("reply", "boolean", 0, 1, "false"),
    leaf("replyByDateTime", "dateTime", 0),
    leaf("doNotDeliverUntilDate", "date", 0, 1, null, "doNotDeliverUntilDate"),
    leaf("mandatory", "boolean", v12 ? 0 : 1, 1, "false"),
    leaf("legalNotification", "boolean", v12 ? 0 : 1, 1, "false"),
    leaf("postType", "text", 0),
    ref("memo", "Sender"),
    ref("memo", "Recipient"),
    ref("memo", "ContentData", 0),
    ref("memo", "ForwardData", 0),
    ref("memo", "ReplyData", 0, UNBOUNDED),
  ]);
  complex("memo", "AttentionPerson", [leaf("personID", "text", 0), leaf("label", "text", 0)]);
  complex("memo", "MainDocument", [
    leaf("mainDocumentID", "text", 0),
    leaf("label", "text", 0),
    ref("memo", "File", 1, UNBOUNDED),
    ref("memo", "Action", 0, UNBOUNDED),
  ]);
  complex("memo", "AdditionalDocument", [
    leaf("additionalDocumentID", "text", 0),
    leaf("label", "text", 0),
    ref("memo", "File", 1, UNBOUNDED),
    ref("memo", "Action", 0, UNBOUNDED),
  ]);
  complex("memo", "TechnicalDocument", [
    leaf("technicalDocumentID", "text", 0),
    leaf("label", "text", 0),
    ref("memo", "File", 1, UNBOUNDED),
  ]);
  complex("memo", "GeneratingSystem", [leaf("generatingSystemID", "text"), leaf("label", "text", 0)]);
  complex("memo", "ContentResponsible", [leaf("contentResponsibleID", "text", 0), leaf("label", "text", 0)]);
  complex("memo", "AdditionalReplyData", [leaf("label", "text"), leaf("value", "text")]);

  for (const [decl, specs] of complexSpecs) {
    decl.particles = specs.map((p) => ({ decls: p.decls(), min: p.min, max: p.max }));
    decl.particles.forEach((p, particle) => {
      for (const d of p.decls) {
        const id = internName(d.local);
        const slots = decl.index[id] ?? [];
        slots.push({ ns: d.ns, particle, decl: d });
        decl.index[id] = slots;
      }
    });
  }
  const message = globals.get(`${MEMO_NS.memo}|Message`);
  if (message?.kind !== "complex") throw new Error("schema: no Message");
  return { version, message };
}

/** The MeMo 1.1 schema (xsd/MeMo_core.xsd). */
export const MEMO_SCHEMA_1_1: MemoSchema = buildSchema("1.1");
/** The MeMo 1.2 schema (xsd/Version1.2/MeMo_core.xsd). */
export const MEMO_SCHEMA_1_2: MemoSchema = buildSchema("1.2");
