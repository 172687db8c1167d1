// A link to a customer's profile (src/customer.md): the pseudonymous id as the link's text and
// as the ?id= of its address, so that a table's id opens that customer. Ids come from data:
// the text is set as text, the address encoded, never parsed as markup.

/** The profile's address for a customer id, relative to a page at the site's root (with .html: the site works on any static host). */
export function customerHref(customerId: string): string {
  return `./customer.html?id=${encodeURIComponent(customerId)}`;
}

/** The id as a link to the customer's profile. */
export function customerLink(customerId: string): HTMLAnchorElement {
  const link = document.createElement("a");
  link.className = "customer-link";
  link.href = customerHref(customerId);
  link.textContent = customerId;
  return link;
}
