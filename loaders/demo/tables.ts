// Output tables: the sinks rows are written to, and each table's header, file name and mapping.
import {closeSync, openSync, writeSync} from "node:fs";
import {defaultParams, DIMENSIONS} from "./params.js";

/** Where the generator writes one CSV table; write returns the 1-based file line (header = 1). */
export interface TableSink {
  write(line: string): number;
  close(): void;
  readonly rows: number;
}

/** A CSV file written in chunks with writeSync: bounded memory, no back-pressure to manage. */
export function fileSink(path: string, header: string): TableSink {
  const fd = openSync(path, "w");
  let buffer = header + "\n";
  let rows = 0;
  const flush = () => {
    writeSync(fd, buffer);
    buffer = "";
  };
  return {
    write(line) {
      buffer += line + "\n";
      if (buffer.length > 1 << 16) flush();
      return ++rows + 1;
    },
    close() {
      flush();
      closeSync(fd);
    },
    get rows() {
      return rows;
    }
  };
}

/** Counts lines without writing them (to size a run before making it). */
export function countingSink(): TableSink {
  let rows = 0;
  return {
    write: () => ++rows + 1,
    close: () => undefined,
    get rows() {
      return rows;
    }
  };
}

export interface Sinks {
  customers: TableSink;
  transactions: TableSink;
  survey: TableSink;
  deliveries: TableSink;
  prospects: TableSink;
  truthCustomers: TableSink;
}

export const HEADERS = {
  customers:
    "customer_id,name,email,signup_date,acquisition_channel,acquisition_cost,segment,service_contacts," +
    Object.values(defaultParams.bonds)
      .map((b) => b.column)
      .join(","),
  transactions: "order_id,line,customer_id,ordered_at,sku,category,quantity,revenue,cost,channel",
  survey:
    "response_id,customer_id,responded_at,order_id," +
    DIMENSIONS.map((d) => `exp_${d},perc_${d}`).join(",") +
    ",satisfaction,recommend",
  deliveries: "order_id,customer_id,promised_date,delivered_date",
  prospects: "prospect_id,first_contact_date,channel,converted_customer_id,referred_by",
  truthCustomers: "customer_id,lambda,p,nu,dropped_out_at"
} as const;
export type Table = keyof typeof HEADERS;
export const FILES: Record<Table, string> = {
  customers: "customers.csv",
  transactions: "transactions.csv",
  survey: "survey.csv",
  deliveries: "deliveries.csv",
  prospects: "prospects.csv",
  truthCustomers: "truth_customers.csv"
};

export const MAPPING = {
  name: "Demo coffee roaster (generated)",
  currency: "USD",
  tables: {
    customers: {
      file: "customers.csv",
      columns: {
        customer_id: "customer_id",
        first_seen: "signup_date",
        acquisition_channel: "acquisition_channel",
        acquisition_cost: "acquisition_cost",
        segment: "segment",
        service_contacts: "service_contacts"
      },
      bonds: Object.fromEntries(
        Object.values(defaultParams.bonds).map((b) => [b.column, {name: b.name, kind: b.kind}])
      ),
      dateFormat: "%Y-%m-%d"
    },
    transactions: {
      file: "transactions.csv",
      columns: {
        order_id: "order_id",
        customer_id: "customer_id",
        occurred_at: "ordered_at",
        product: "sku",
        category: "category",
        quantity: "quantity",
        revenue: "revenue",
        cost: "cost",
        channel: "channel"
      },
      dateFormat: "%Y-%m-%d %H:%M:%S"
    },
    feedback: {
      file: "survey.csv",
      columns: {
        customer_id: "customer_id",
        order_id: "order_id",
        responded_at: "responded_at",
        satisfaction: "satisfaction",
        nps: "recommend"
      },
      dimensions: {
        tangibles: {expectation: "exp_tangibles", perception: "perc_tangibles"},
        reliability: {expectation: "exp_reliability", perception: "perc_reliability"},
        responsiveness: {expectation: "exp_responsiveness", perception: "perc_responsiveness"},
        assurance: {expectation: "exp_assurance", perception: "perc_assurance"},
        empathy: {expectation: "exp_empathy", perception: "perc_empathy"}
      },
      scale: [1, 7],
      dateFormat: "%Y-%m-%d"
    },
    deliveries: {
      file: "deliveries.csv",
      columns: {
        customer_id: "customer_id",
        order_id: "order_id",
        promised_at: "promised_date",
        delivered_at: "delivered_date"
      },
      dateFormat: "%Y-%m-%d"
    },
    prospects: {
      file: "prospects.csv",
      columns: {
        prospect_id: "prospect_id",
        first_contact_at: "first_contact_date",
        channel: "channel",
        converted_customer_id: "converted_customer_id",
        referred_by: "referred_by"
      },
      dateFormat: "%Y-%m-%d"
    }
  }
};
