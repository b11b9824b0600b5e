/**
 * `Alexa.ReportState` → `Alexa.StateReport`. A device the hub cannot reach is still reported, with
 * connectivity UNREACHABLE (Alexa.EndpointHealth), rather than as an error.
 */
import { statePropertiesOf } from "../devices";
import { stateReport } from "../messages";
import { bearerToken, endpointIdOf, type DirectiveHandler } from "./context";

export const reportState: DirectiveHandler = async (context) => {
  const { directive } = context;
  const device = await context.hub.device(bearerToken(directive), endpointIdOf(directive));
  return stateReport(directive, statePropertiesOf(device, context.now()));
};
