export {};
//# sourceMappingURL=overview.spec.d.ts.map