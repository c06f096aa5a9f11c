module github.com/altosdn/altosdn

go 1.26
