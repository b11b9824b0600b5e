import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One route of the HTTP API: `POST /<path>` invokes the function at `qualifier` (an alias) or `$LATEST`. */
export interface HttpsRoute {
  path: "blue" | "green" | "latest";
  /** Alias name; undefined for `$LATEST`. */
  qualifier?: pulumi.Input<string>;
}

/** Arguments of {@link HttpsEndpoint}. */
export interface HttpsEndpointArgs {
  /** Physical name of the API and prefix of its access log group (`<project>-<stage>-api`). */
  apiName: string;
  functionName: pulumi.Input<string>;
  functionArn: pulumi.Input<string>;
  routes: HttpsRoute[];
  throttleBurst: number;
  throttleRate: number;
  logRetentionDays: number;
}

/**
 * An API Gateway HTTP API in front of the function for the `https` endpoint kind: one `POST` route per alias
 * (and one for `$LATEST` when the development stage points here), throttling on the default stage, JSON access
 * logs. The handler (`index.httpsHandler`) verifies Alexa's request signatures itself.
 */
export class HttpsEndpoint extends pulumi.ComponentResource {
  public readonly api: aws.apigatewayv2.Api;
  public readonly stage: aws.apigatewayv2.Stage;
  public readonly accessLogs: aws.cloudwatch.LogGroup;
  /** The URL of each route, by path. */
  public readonly urls: Partial<Record<HttpsRoute["path"], pulumi.Output<string>>> = {};

  constructor(name: string, args: HttpsEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("skillship:index:HttpsEndpoint", name, {}, opts);
    this.api = new aws.apigatewayv2.Api(
      `${name}-api`,
      { name: args.apiName, protocolType: "HTTP", description: "Alexa skill HTTPS endpoint" },
      { parent: this },
    );
    this.accessLogs = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      { name: `/aws/apigateway/${args.apiName}`, retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    this.stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: this.api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingBurstLimit: args.throttleBurst,
          throttlingRateLimit: args.throttleRate,
        },
        accessLogSettings: {
          destinationArn: this.accessLogs.arn,
          format: JSON.stringify({
            requestId: "$context.requestId",
            requestTime: "$context.requestTime",
            routeKey: "$context.routeKey",
            status: "$context.status",
            latency: "$context.responseLatency",
            integrationError: "$context.integrationErrorMessage",
          }),
        },
      },
      { parent: this },
    );

    for (const route of args.routes) {
      const target =
        route.qualifier === undefined
          ? pulumi.output(args.functionArn)
          : pulumi.interpolate`${args.functionArn}:${route.qualifier}`;
      const integration = new aws.apigatewayv2.Integration(
        `${name}-${route.path}`,
        {
          apiId: this.api.id,
          integrationType: "AWS_PROXY",
          integrationUri: target,
          integrationMethod: "POST",
          payloadFormatVersion: "2.0",
        },
        { parent: this },
      );
      new aws.apigatewayv2.Route(
        `${name}-${route.path}`,
        {
          apiId: this.api.id,
          routeKey: `POST /${route.path}`,
          target: pulumi.interpolate`integrations/${integration.id}`,
        },
        { parent: this },
      );
      new aws.lambda.Permission(
        `${name}-${route.path}-invoke`,
        {
          function: args.functionName,
          qualifier: route.qualifier,
          action: "lambda:InvokeFunction",
          principal: "apigateway.amazonaws.com",
          sourceArn: pulumi.interpolate`${this.api.executionArn}/*/POST/${route.path}`,
        },
        { parent: this },
      );
      this.urls[route.path] = pulumi.interpolate`${this.api.apiEndpoint}/${route.path}`;
    }

    this.registerOutputs({ apiEndpoint: this.api.apiEndpoint });
  }
}
