#include <cstdio>
int main() { std::puts("eligo"); return 0; }
