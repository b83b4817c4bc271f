export { headerIssues, recipientIssue, unknownAuthorityIssue, contactPointLimitIssues } from "./intake-rules.ts";
export type { IntakeIssue, IntakeHeader, ContactPointLimits } from "./intake-rules.ts";
