/** An API answer that is an error, in DigitalOcean's `{id, message, request_id}` shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    /** A body of another shape, for the few endpoints DigitalOcean answers differently. */
    readonly body?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = () => new ApiError(404, 'not_found', 'The resource you were accessing could not be found.');
export const unprocessable = (message: string) => new ApiError(422, 'unprocessable_entity', message);
export const badRequest = (message: string) => new ApiError(400, 'bad_request', message);
