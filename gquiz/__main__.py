from gquiz.cli import main

main()
