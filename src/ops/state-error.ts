/** The error of an op that does not fit the schema it is applied to; apart so op kinds can throw it without loading ./apply.ts. */
import { UserError } from "../errors.js";

/** An op that does not fit the schema it is applied to (absent object, duplicate name). */
export class SchemaStateError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "SchemaStateError";
  }
}
