/**
 * The Skill Management API's own OpenAPI document (`ask-smapi-model/spec.json`) as a request checker for the
 * fake: a request whose method and path the document does not list, or that lacks a required parameter, is a
 * violation the fake reports loudly instead of answering something plausible.
 */
import { readFileSync } from "node:fs";

interface SpecParameter {
  in: "path" | "query" | "header" | "body" | "formData";
  name: string;
  required?: boolean;
}

interface SpecOperation {
  parameters?: SpecParameter[];
}

interface SpecDocument {
  paths: Record<string, Record<string, SpecOperation>>;
}

/** One operation of the document a request matched. */
export interface SpecRoute {
  /** `METHOD /path/{template}`, e.g. `PUT /v1/skills/{skillId}/stages/{stageV2}/manifest`. */
  key: string;
  method: string;
  template: string;
  params: Record<string, string>;
  operation: SpecOperation;
}

interface CompiledRoute {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  literalLength: number;
  operation: SpecOperation;
}

let compiled: CompiledRoute[] | undefined;

function loadRoutes(): CompiledRoute[] {
  if (compiled !== undefined) {
    return compiled;
  }
  const specPath = require.resolve("ask-smapi-model/spec.json");
  const spec = JSON.parse(readFileSync(specPath, "utf8")) as SpecDocument;
  const routes: CompiledRoute[] = [];
  for (const [template, operations] of Object.entries(spec.paths)) {
    const names: string[] = [];
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (name !== undefined) {
          names.push(name);
          return "([^/]+)";
        }
        return part.replace(/[.*+?^${}()|[\]\\~]/g, "\\$&");
      })
      .join("");
    const literalLength = template.replace(/\{[^}]+\}/g, "").length;
    for (const [method, operation] of Object.entries(operations)) {
      if (method === "parameters") {
        continue;
      }
      routes.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${source}$`),
        names,
        literalLength,
        operation,
      });
    }
  }
  // A literal segment beats a parameter: `/publications/~latest` before `/publications/{id}`.
  routes.sort((a, b) => b.literalLength - a.literalLength);
  compiled = routes;
  return routes;
}

/** Finds the operation of the document for a method and a path (without the query string). */
export function matchSpecRoute(method: string, pathname: string): SpecRoute | undefined {
  for (const route of loadRoutes()) {
    if (route.method !== method.toUpperCase()) {
      continue;
    }
    const match = route.pattern.exec(pathname);
    if (match === null) {
      continue;
    }
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1]);
    });
    return {
      key: `${route.method} ${route.template}`,
      method: route.method,
      template: route.template,
      params,
      operation: route.operation,
    };
  }
  return undefined;
}

/**
 * The required parameters of the operation the request lacks, as `in:name` (e.g. `header:Accept-Language`,
 * `body:withdrawRequest`). Empty when the request carries everything the document requires.
 */
export function missingRequiredParameters(
  route: SpecRoute,
  request: { query: URLSearchParams; headers: Record<string, string | string[] | undefined>; body: unknown },
): string[] {
  const missing: string[] = [];
  for (const parameter of route.operation.parameters ?? []) {
    if (parameter.required !== true) {
      continue;
    }
    const present =
      parameter.in === "path"
        ? (route.params[parameter.name] ?? "") !== ""
        : parameter.in === "query"
          ? request.query.has(parameter.name)
          : parameter.in === "header"
            ? request.headers[parameter.name.toLowerCase()] !== undefined
            : parameter.in === "body"
              ? request.body !== undefined
              : true;
    if (!present) {
      missing.push(`${parameter.in}:${parameter.name}`);
    }
  }
  return missing;
}
