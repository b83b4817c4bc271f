export type {
  Database,
  AuthoritiesTable,
  ApiKeysTable,
  PortalSessionsTable,
  RecipientSystemsTable,
  ContactPointsTable,
  MessagesTable,
  MessageState,
  AttemptsTable,
  EventsTable,
  OutboxTable,
  RelocationsTable,
  RelocationItemsTable,
  SettingsTable,
} from "./schema.ts";
export { LibsqlDialect } from "./libsql-dialect.ts";
export { migrateToLatest } from "./migrate.ts";
