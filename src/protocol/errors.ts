import { AwsError } from '../core/errors.ts';
import type { HttpResponse } from '../core/http.ts';
import type { Protocol } from '../core/service.ts';
import type { SigV4Failure } from './sigv4.ts';
import { buildXml } from './xml.ts';

/**
 * Serialize an error in its protocol's wire form, as the AWS SDKs parse it.
 * awsJson puts the code in `__type`, restJson in `x-amzn-ErrorType` with a
 * `message` body, and awsQuery and restXml in an `<ErrorResponse>` document.
 * A query-compatible JSON service adds `x-amzn-query-error: <code>;<Sender|Receiver>`,
 * from which botocore takes `Error.Code` and the SDK for JavaScript `Code`.
 */
export function serializeError(protocol: Protocol, error: AwsError, requestId: string, xmlNamespace?: string, jsonVersion = '1.1'): HttpResponse {
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  const fault = error.senderFault ? 'Sender' : 'Receiver';
  switch (protocol) {
    case 'json':
      if (error.queryErrorCode) headers['x-amzn-query-error'] = `${error.queryErrorCode};${fault}`;
      return {
        status: error.status,
        headers: { ...headers, 'content-type': `application/x-amz-json-${jsonVersion}` },
        body: JSON.stringify({ __type: error.code, message: error.message, ...error.fields }),
      };
    case 'rest-json':
      return {
        status: error.status,
        headers: { ...headers, 'content-type': 'application/json', 'x-amzn-errortype': error.code },
        body: JSON.stringify({ message: error.message, ...error.fields }),
      };
    case 'query':
    case 'rest-xml':
      return {
        status: error.status,
        headers: { ...headers, 'content-type': 'text/xml' },
        body: buildXml(
          'ErrorResponse',
          {
            Error: { Type: fault, Code: error.code, Message: error.message, ...error.fields },
            RequestId: requestId,
          },
          xmlNamespace,
        ),
      };
  }
}

/**
 * The AwsError a SigV4 failure becomes. JSON protocols answer 400 with
 * `InvalidSignatureException` / `UnrecognizedClientException`; REST JSON the
 * same codes with 403; XML protocols 403 with `SignatureDoesNotMatch` /
 * `InvalidClientTokenId`.
 */
export function signatureError(protocol: Protocol, failure: SigV4Failure): AwsError {
  const xml = protocol === 'query' || protocol === 'rest-xml';
  const status = protocol === 'json' ? 400 : 403;
  switch (failure.kind) {
    case 'MissingAuthenticationToken':
      return new AwsError(xml ? 'MissingAuthenticationToken' : 'MissingAuthenticationTokenException', failure.message, status);
    case 'IncompleteSignature':
      return new AwsError(xml ? 'IncompleteSignature' : 'IncompleteSignatureException', failure.message, status);
    case 'UnknownAccessKey':
      return new AwsError(xml ? 'InvalidClientTokenId' : 'UnrecognizedClientException', failure.message, status);
    case 'SignatureDoesNotMatch':
    case 'SignatureExpired':
      return new AwsError(xml ? 'SignatureDoesNotMatch' : 'InvalidSignatureException', failure.message, status);
  }
}

/** An unexpected failure: reaches the wire without its message, which may hold internals. */
export function internalError(): AwsError {
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
}
