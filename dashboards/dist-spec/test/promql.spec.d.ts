export {};
//# sourceMappingURL=promql.spec.d.ts.map