/** A problem with what the user asked for (bad input, bad configuration): exit 1, message on stderr. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'UserError';
  }
}
