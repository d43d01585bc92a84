export {};
//# sourceMappingURL=loading.spec.d.ts.map