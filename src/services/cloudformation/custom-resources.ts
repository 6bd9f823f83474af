import { randomBytes } from 'node:crypto';
import type { App } from '../../core/app.ts';
import { AwsError } from '../../core/errors.ts';
import type { HttpRequest, HttpResponse } from '../../core/http.ts';
import { uuid } from '../../core/ids.ts';
import type { HttpRoute } from '../../core/service.ts';
import type { CustomResourceRequest, CustomResourceResponse } from './provisioners/types.ts';
import type { StackRecord } from './stacks.ts';

const RESPONSE_PATH = '/cloudformation-custom-resource-response/';

/**
 * TODO: AWS waits up to one hour for a custom resource's response; palisade
 * waits 5 minutes, because a local function that has not answered by then
 * has failed.
 */
const RESPONSE_TIMEOUT_MS = 5 * 60 * 1000;
/** How long a response may still arrive after the function's invocation ended with an error. */
const FAILED_FUNCTION_GRACE_MS = 2000;

/** "Custom resource response objects": the response body is limited to 4096 bytes. */
const MAX_RESPONSE_BYTES = 4096;

interface PendingRequest {
  stackId: string;
  requestId: string;
  logicalId: string;
  resolve(response: CustomResourceResponse): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Sends custom resource requests to their ServiceToken function and receives
 * the responses. The ResponseURL stands for CloudFormation's presigned S3 URL:
 * a single-use path on palisade's endpoint with an unguessable 256-bit token.
 */
export class CustomResourceBroker {
  private readonly pending = new Map<string, PendingRequest>();

  constructor(private readonly app: App) {}

  readonly route: HttpRoute = {
    name: 'cloudformation-custom-resource-response',
    match: (req) => req.path.startsWith(RESPONSE_PATH),
    handle: async (req) => this.receive(req),
  };

  async send(stack: StackRecord, logicalId: string, resourceType: string, request: CustomResourceRequest): Promise<CustomResourceResponse> {
    const token = randomBytes(32).toString('hex');
    const requestId = uuid();
    const event = {
      RequestType: request.requestType,
      ServiceToken: request.serviceToken,
      ResponseURL: `${this.app.endpoint}${RESPONSE_PATH}${token}`,
      StackId: stack.StackId,
      RequestId: requestId,
      ResourceType: resourceType,
      LogicalResourceId: logicalId,
      ...(request.physicalResourceId ? { PhysicalResourceId: request.physicalResourceId } : {}),
      ResourceProperties: { ServiceToken: request.serviceToken, ...request.resourceProperties },
      ...(request.oldResourceProperties ? { OldResourceProperties: { ServiceToken: request.serviceToken, ...request.oldResourceProperties } } : {}),
    };
    const response = new Promise<CustomResourceResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new AwsError('ValidationError', `CloudFormation did not receive a response from your Custom Resource within ${RESPONSE_TIMEOUT_MS / 60000} minutes. Please check your logs for requestId [${requestId}]. If you are using the Python cfn-response module, you may need to update your Lambda function code so that CloudFormation can attach the updated version.`));
      }, RESPONSE_TIMEOUT_MS);
      this.pending.set(token, { stackId: stack.StackId, requestId, logicalId, resolve, reject, timer });
    });
    // CloudFormation invokes the function asynchronously and then only waits
    // for the response. NOTE: palisade also watches the invocation, so a
    // function that fails before it responds fails the resource at once
    // instead of after the timeout (AWS waits for the whole hour).
    const invocation = this.app.seam('lambda').invoke(request.serviceToken, Buffer.from(JSON.stringify(event)));
    invocation.then(
      (result) => {
        if (result.functionError) setTimeout(() => this.failUnanswered(token, request.serviceToken, result.payload), FAILED_FUNCTION_GRACE_MS);
      },
      (error: unknown) => {
        const pending = this.pending.get(token);
        this.cancel(token);
        pending?.reject(error instanceof AwsError ? error : new AwsError('ValidationError', `Invoking the ServiceToken function ${request.serviceToken} failed: ${String(error)}`));
      },
    );
    return response;
  }

  /** Fail a request whose function ended with an error and sent no response. */
  private failUnanswered(token: string, serviceToken: string, payload: Buffer): void {
    const pending = this.pending.get(token);
    if (!pending) return;
    this.cancel(token);
    let detail = 'an unhandled error';
    try {
      const error = JSON.parse(payload.toString('utf8')) as { errorType?: string; errorMessage?: string };
      detail = `${error.errorType ?? 'Error'}: ${error.errorMessage ?? ''}`;
    } catch {
      // The payload of a failed invocation is normally the runtime's error document.
    }
    const functionName = serviceToken.split(':').pop();
    pending.reject(new AwsError('ValidationError', `The custom resource function failed before it sent a response (${detail}). See log group /aws/lambda/${functionName}.`));
  }

  /** Reject every outstanding request (palisade is stopping). */
  cancelAll(): void {
    for (const token of [...this.pending.keys()]) {
      const request = this.pending.get(token)!;
      this.cancel(token);
      request.reject(new AwsError('ValidationError', 'palisade stopped while waiting for the custom resource response'));
    }
  }

  private cancel(token: string): void {
    const request = this.pending.get(token);
    if (!request) return;
    clearTimeout(request.timer);
    this.pending.delete(token);
  }

  private receive(req: HttpRequest): HttpResponse {
    const token = req.path.slice(RESPONSE_PATH.length);
    const request = this.pending.get(token);
    if (req.method !== 'PUT' || !request) {
      return { status: 403, headers: { 'content-type': 'application/xml' }, body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' };
    }
    this.cancel(token);
    const outcome = this.parseResponse(req.body, request);
    if (outcome instanceof Error) request.reject(outcome);
    else request.resolve(outcome);
    return { status: 200, body: '' };
  }

  private parseResponse(body: Buffer, request: PendingRequest): CustomResourceResponse | Error {
    if (body.length > MAX_RESPONSE_BYTES) return new AwsError('ValidationError', 'Response object is too long.');
    let response: Record<string, any>;
    try {
      response = JSON.parse(body.toString('utf8'));
    } catch {
      return new AwsError('ValidationError', 'Invalid response object: the custom resource response is not valid JSON');
    }
    if (response.Status === 'FAILED') {
      return new AwsError('ValidationError', `Received response status [FAILED] from custom resource. Message returned: ${response.Reason ?? 'See the details in CloudWatch Log Stream'} (RequestId: ${request.requestId})`);
    }
    if (response.Status !== 'SUCCESS') return new AwsError('ValidationError', `Invalid response object: Status must be SUCCESS or FAILED, not ${String(response.Status)}`);
    if (response.RequestId !== request.requestId || response.StackId !== request.stackId || response.LogicalResourceId !== request.logicalId) {
      return new AwsError('ValidationError', 'Invalid response object: RequestId, StackId and LogicalResourceId must match the request');
    }
    if (typeof response.PhysicalResourceId !== 'string' || response.PhysicalResourceId === '') {
      return new AwsError('ValidationError', 'Invalid PhysicalResourceId');
    }
    return { PhysicalResourceId: response.PhysicalResourceId, Data: (response.Data ?? {}) as Record<string, unknown> };
  }
}
