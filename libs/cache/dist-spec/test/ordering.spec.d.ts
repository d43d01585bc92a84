export {};
//# sourceMappingURL=ordering.spec.d.ts.map