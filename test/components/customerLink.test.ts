import {describe, expect, it} from "vitest";
import {customerHref} from "../../src/components/customerLink.js";

describe("customerHref(customerId)", () => {
  it("puts the id in the profile's address, encoded, so that no id breaks out of it", () => {
    expect(customerHref("c49bf6e288bc6ab7f")).toBe("./customer.html?id=c49bf6e288bc6ab7f");
    // & would start a second parameter, # a fragment, a space and quotes end an unquoted attribute.
    expect(customerHref(`a b&c=#"<x>'`)).toBe("./customer.html?id=a%20b%26c%3D%23%22%3Cx%3E'");
    expect(new URL(customerHref("a b&c=#d"), "https://site.example/").searchParams.get("id")).toBe("a b&c=#d");
  });
});
