import { z } from "zod";

/** One problem found in a request, e.g. a MeMo issue or a bad JSON field. */
export const ProblemIssue = z.object({ path: z.string(), code: z.string(), message: z.string() }).meta({ id: "ProblemIssue" });
export type ProblemIssue = z.infer<typeof ProblemIssue>;

/** Every error answer (application/problem+json); `code` is the stable machine-readable part. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    issues: z.array(ProblemIssue).optional(),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof Problem>;

/** A problem whose `code` is one of `codes` (the documented answers of one path). */
export const problemWith = (...codes: [string, ...string[]]) =>
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(codes),
    detail: z.string(),
  });
