export {};
//# sourceMappingURL=store.spec.d.ts.map