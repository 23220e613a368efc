/**
 * `.ci/run`'s PostgreSQL database for one run: `create URL` makes the (empty) database URL names;
 * `drop URL` drops it and every database the tests made under its name as a prefix.
 */
import { createDatabase, databaseName, dropDatabase, dropDatabasesWithPrefix } from "../tests/helpers/postgres";

const [action, url] = [process.argv[2], process.argv[3]];
if (!url || (action !== "create" && action !== "drop")) {
  console.error("Usage: tsx .ci/pg-database.ts create|drop postgres://…/NAME");
  process.exit(2);
}
const name = databaseName(url);
if (action === "create") {
  await createDatabase(url, name);
  console.log(`Created database ${name}.`);
} else {
  const dropped = await dropDatabasesWithPrefix(url, name);
  await dropDatabase(url, name);
  console.log(`Dropped database ${name} and ${dropped.length} test database(s) under it.`);
}
