/** TransactionStore doubles for the handler benchmark's breakdown pass. */
import type {
  CreateOutcome,
  CreateTransactionCommand,
  TransactionStore,
} from "../../lambda/shared/stores/ports";
import { elapsedMs } from "./stats";

/** Times create, the one database call of the create path (breakdown pass only). */
export class TimedStore implements TransactionStore {
  /** Per call, in call order (the API calls it once per created transaction). */
  readonly createMs: number[] = [];
  constructor(private readonly inner: TransactionStore) {}
  async create(command: CreateTransactionCommand): Promise<CreateOutcome> {
    const start = process.hrtime.bigint();
    try {
      return await this.inner.create(command);
    } finally {
      this.createMs.push(elapsedMs(start));
    }
  }
  findById = (id: string) => this.inner.findById(id);
  settle = (id: string) => this.inner.settle(id);
  drainOutbox: TransactionStore["drainOutbox"] = (o, p) => this.inner.drainOutbox(o, p);
  probe = () => this.inner.probe();
}

/** A store that touches no database: what is left is our code alone. */
export class NoDatabaseStore implements TransactionStore {
  private next = 0;
  create(): Promise<CreateOutcome> {
    this.next += 1;
    return Promise.resolve({ kind: "created" });
  }
  findById(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  settle(): Promise<never> {
    return Promise.reject(new Error("not used"));
  }
  drainOutbox(): Promise<never> {
    return Promise.reject(new Error("not used"));
  }
  probe(): Promise<"writer"> {
    return Promise.resolve("writer");
  }
}
