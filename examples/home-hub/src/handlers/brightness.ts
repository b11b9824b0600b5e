/**
 * `Alexa.BrightnessController` SetBrightness / AdjustBrightness: dimmers. Brightness 0 switches the dimmer off
 * and any other level switches it on, as Z-Wave multilevel switches do.
 */
import {
  applyAndRespond,
  checkRange,
  clamp,
  numberField,
  targetDevice,
  type DirectiveHandler,
} from "./context";

export const setBrightness: DirectiveHandler = async (context) => {
  const brightness = numberField(context.directive, "brightness");
  checkRange(brightness, 0, 100, "Brightness");
  const device = await targetDevice(context);
  return applyAndRespond(context, device, { level: Math.round(brightness), on: brightness > 0 });
};

export const adjustBrightness: DirectiveHandler = async (context) => {
  const delta = numberField(context.directive, "brightnessDelta");
  checkRange(delta, -100, 100, "A brightness change");
  const device = await targetDevice(context);
  // A dimmer that is off counts as 0: "brighter" on a dark room starts from dark.
  const from = device.state.on === false ? 0 : (device.state.level ?? 0);
  const level = Math.round(clamp(from + delta, 0, 100));
  return applyAndRespond(context, device, { level, on: level > 0 });
};
