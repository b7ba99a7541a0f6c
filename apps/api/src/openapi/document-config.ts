/** The fixed parts of the OpenAPI document; paths and schemas come from the route definitions. */
export function openApiObjectConfig(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kindling API',
      version,
      description: 'Donor-intelligence platform for nonprofits. Every error has the body `ErrorBody`.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
  };
}
