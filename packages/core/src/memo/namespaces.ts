/** The MeMo namespace and the sub-schema namespaces, by their customary prefixes. */
export const MEMO_NS = {
  memo: "https://DigitalPost.dk/MeMo-1",
  grd: "https://data.gov.dk/model/core/",
  gln: "https://www.gs1.dk/gs1-standarder/identifikation/gln-global-location-number/",
  sor: "https://services.nsi.dk/en/Services/SOR",
  kle: "http://kle-online.dk/",
  form: "http://www.form-online.dk/",
  dmv: "https://motorregister.skat.dk/",
  udd: "https://www.dst.dk/da/TilSalg/Forskningsservice/Dokumentation/hoejkvalitetsvariable/elevregister-2/udd#",
} as const;
export type MemoNsPrefix = keyof typeof MEMO_NS;

/** The XML Schema instance namespace (xsi:type, xsi:nil, xsi:schemaLocation …). */
export const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
