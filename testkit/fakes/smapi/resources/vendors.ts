/** The vendor list: the one vendor the fake answers to, with administrator rights. */
import type { FakeContext, VendorRoutes } from "../context";

/** The handler for listing the vendors of the authenticated account. */
export function vendorRoutes({ vendorId }: FakeContext): VendorRoutes<"getVendorList"> {
  return {
    getVendorList: () => ({
      status: 200,
      body: { vendors: [{ name: "Fake vendor", id: vendorId, roles: ["ROLE_ADMINISTRATOR"] }] },
    }),
  };
}
