from compliance_opa.cli import main

main()
