/**
 * `Alexa.RangeController` SetRangeValue / AdjustRangeValue on a shutter's position (percent open). "Open",
 * "close", "raise" and "lower" arrive as these directives through the semantics declared at discovery.
 */
import { SHUTTER_DEFAULT_STEP, SHUTTER_INSTANCE } from "../devices";
import { SmartHomeError } from "../errors";
import type { Directive } from "../messages";
import {
  applyAndRespond,
  checkRange,
  clamp,
  numberField,
  targetDevice,
  type DirectiveHandler,
} from "./context";

function checkInstance(directive: Directive): void {
  if (directive.header.instance !== SHUTTER_INSTANCE) {
    throw new SmartHomeError(
      "INVALID_DIRECTIVE",
      `Alexa.RangeController instance "${directive.header.instance ?? "(none)"}" is not one the bridge declared ` +
        `(${SHUTTER_INSTANCE})`,
    );
  }
}

export const setRangeValue: DirectiveHandler = async (context) => {
  checkInstance(context.directive);
  const value = numberField(context.directive, "rangeValue");
  checkRange(value, 0, 100, "A shutter position");
  const device = await targetDevice(context);
  return applyAndRespond(context, device, { position: Math.round(value) });
};

export const adjustRangeValue: DirectiveHandler = async (context) => {
  checkInstance(context.directive);
  let delta = numberField(context.directive, "rangeValueDelta");
  checkRange(delta, -100, 100, "A shutter position change");
  // Alexa chose the size of the step ("raise the shutter a bit"): use the bridge's own step.
  if (context.directive.payload.rangeValueDeltaDefault === true)
    delta = Math.sign(delta) * SHUTTER_DEFAULT_STEP;
  const device = await targetDevice(context);
  const position = Math.round(clamp((device.state.position ?? 0) + delta, 0, 100));
  return applyAndRespond(context, device, { position });
};
