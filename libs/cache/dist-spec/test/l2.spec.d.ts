export {};
//# sourceMappingURL=l2.spec.d.ts.map