// Writing one simulated customer's rows into the sinks, with that customer's planted defect.
import type {Context, History, Traits} from "./customer.js";
import {type BadRow, corruptLine, type Defect} from "./defects.js";
import {csvField, formatCents, padId, parseCsvLine} from "./format.js";
import {FIRST_EMAIL, FIRST_NAMES, LAST_EMAIL, LAST_NAMES} from "./people.js";
import {FILES, HEADERS, type Sinks} from "./tables.js";

/** Run-wide state for writing rows: counters, and where the deliberate defects landed. */
export interface Writer {
  sinks: Sinks;
  responses: number;
  surveyDefectPending: boolean;
  badRows: BadRow[];
  orphanId: string;
}

const yesNo = (held: boolean) => (held ? "yes" : "no");

/** Writes one customer's rows, injecting the customer's defect if the plan has one. */
export function writeCustomer(w: Writer, ctx: Context, c: Traits, h: History, defect: Defect | undefined): void {
  const {d, params} = ctx;
  const cp = params.channels[c.channel];
  const i = Math.floor(d.uniform() * FIRST_NAMES.length);
  const j = Math.floor(d.uniform() * LAST_NAMES.length);
  const [first, last] = [FIRST_NAMES[i]!, LAST_NAMES[j]!];
  const email = `${FIRST_EMAIL[i]}.${LAST_EMAIL[j]}${String(Math.floor(d.uniform() * 10_000)).padStart(4, "0")}@example.com`;
  const acquisitionCost = Math.round(cp.acquisitionCost * ctx.channels[c.channel].cost() * 100);
  const k = params.contacts;
  const contacts = d.poisson(
    k.base +
      k.perOrder * h.purchases +
      k.perNegativeGap * h.negativeGapSum +
      k.perLate * h.lateCount +
      k.perReturn * h.returnedLines
  );
  w.sinks.customers.write(
    `${c.id},${csvField(`${first} ${last}`)},${email},${ctx.day(c.signup)},${c.channel},${formatCents(acquisitionCost)},${c.segment},${contacts},${yesNo(c.loyaltyMember)},${yesNo(c.accountManager)},${yesNo(c.prefersApp)}`
  );
  w.sinks.truthCustomers.write(
    `${c.id},${c.lambda.toFixed(5)},${c.p.toFixed(5)},${c.nu.toFixed(5)},${h.droppedAt < 0 ? "" : ctx.day(h.droppedAt)}`
  );

  for (const e of h.transactions) {
    const line = defect && e.seq === 0 ? corruptLine(defect, e.line) : e.line;
    const lineNo = w.sinks.transactions.write(line);
    if (defect && e.seq === 0) recordTransactionDefect(w, defect, line, lineNo);
  }
  for (const e of h.deliveries) w.sinks.deliveries.write(e);
  if (defect?.kind === "survey") w.surveyDefectPending = true;
  for (const e of h.surveys) {
    let line = `${padId("S", ++w.responses, 7)},${e.line}`;
    if (w.surveyDefectPending) {
      const fields = line.split(",");
      fields[HEADERS.survey.split(",").indexOf("perc_reliability")] = "9";
      line = fields.join(",");
      w.badRows.push({
        file: FILES.survey,
        line: w.sinks.survey.write(line),
        column: "perc_reliability",
        reason: "perception 9 outside the 1–7 scale",
        value: "9"
      });
      w.surveyDefectPending = false;
    } else {
      w.sinks.survey.write(line);
    }
  }
}

/** Records where a transaction defect landed, writing the extra lines that some defects add. */
function recordTransactionDefect(w: Writer, defect: Defect, line: string, lineNo: number): void {
  const file = FILES.transactions;
  const sink = w.sinks.transactions;
  const fields = parseCsvLine(line);
  switch (defect.kind) {
    case "date":
      w.badRows.push({file, line: lineNo, column: "ordered_at", reason: "unparseable date", value: fields[3]!});
      break;
    case "amount":
      w.badRows.push({file, line: lineNo, column: "revenue", reason: "non-numeric amount", value: fields[7]!});
      break;
    case "negative":
      w.badRows.push({
        file,
        line: lineNo,
        column: "revenue",
        reason: "negative amount on a sale (not a return: no R order id, positive quantity)",
        value: fields[7]!
      });
      break;
    case "duplicate":
      w.badRows.push({
        file,
        line: sink.write(line),
        column: "",
        reason: `exact duplicate of line ${lineNo}`,
        value: ""
      });
      break;
    case "orphan":
      // A two-line order of an unknown customer, with this line's date and product; line 2 holds twice
      // line 1's quantity, revenue and cost, so that neither line repeats the other.
      for (const l of [1, 2]) {
        const [at, sku, category, quantity, revenue, cost, channel] = fields.slice(3);
        const times = (amount: string) => formatCents(Math.round(Number(amount) * 100) * l);
        const copy = [
          padId("O", 0, 7), // real order numbers start at 1
          String(l),
          w.orphanId,
          at,
          sku,
          category,
          String(Number(quantity) * l),
          times(revenue!),
          times(cost!),
          channel
        ].join(",");
        w.badRows.push({
          file,
          line: sink.write(copy),
          column: "customer_id",
          reason: "customer id not in customers.csv",
          value: w.orphanId
        });
      }
      break;
    case "survey":
      break;
  }
}
