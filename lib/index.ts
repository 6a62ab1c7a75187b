export * from "./config";
export * from "./tap-stack";
export * from "./primary-region";
export * from "./dr-region";
export * from "./global-resources";
