export {};
//# sourceMappingURL=clock.spec.d.ts.map